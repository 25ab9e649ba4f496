import Media

/// Human names of codec profiles, for reports: "High", "Main 10", "LC".
enum ProfileName {
    static func of(_ track: Track) -> String? {
        switch track.codec {
        case .h264:
            return [66: "Baseline", 77: "Main", 88: "Extended", 100: "High", 110: "High 10", 122: "High 4:2:2",
                    244: "High 4:4:4"][track.profile]
        case .h265:
            return [1: "Main", 2: "Main 10", 3: "Main Still Picture", 4: "Range Extensions"][track.profile]
        case .aac:
            return [1: "Main", 2: "LC", 3: "SSR", 4: "LTP", 5: "HE-AAC", 29: "HE-AACv2"][track.profile]
                ?? track.audioConfig.flatMap { [2: "LC", 5: "HE-AAC", 29: "HE-AACv2"][$0.objectType] }
        default:
            return nil
        }
    }
}
