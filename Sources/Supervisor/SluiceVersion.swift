/// The version `sluice ctl status` reports.
public enum SluiceVersion {
    public static let text = "0.1.0"
}
