// libFuzzer entry for the config language. Compiled into one module with Sources/Config by Fuzz/run.sh,
// so it imports nothing. Any bytes, decoded as UTF-8 with repair; a parsed config must also survive a round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = ConfigParser.parse(text, file: "fuzz.conf")
    if let config = result.config {
        let again = ConfigParser.parse(config.written(), file: "written.conf")
        if again.config != config {
            fatalError("round trip changed the config:\n\(text)\n---\n\(config.written())")
        }
    }
    return 0
}
