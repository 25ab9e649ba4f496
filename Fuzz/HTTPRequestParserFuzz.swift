// libFuzzer entry for the HTTP request parser (what every viewer's bytes go through). Compiled into one module with
// Sources/HTTP by Fuzz/run.sh, so it imports nothing. Feeds the input whole, then again in pieces whose sizes come from
// the input, as an edge worker would, parsing pipelined requests until an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    for split in [size, 1 + (size > 0 ? Int(data[0]) % 64 : 0)] where split > 0 {
        var parser = HTTPRequestParser()
        var offset = 0
        var pending: [UInt8] = []
        parse: while offset < size {
            let end = min(size, offset + split)
            pending.append(contentsOf: input[offset..<end])
            offset = end
            while !pending.isEmpty {
                var complete = false
                do {
                    let used = try pending.withUnsafeBytes { bytes in
                        try parser.feed(bytes) { event in if case .end = event { complete = true } }
                    }
                    pending.removeFirst(used)
                    guard complete else { break }
                    parser = HTTPRequestParser()
                } catch {
                    break parse
                }
            }
        }
    }
    return 0
}
