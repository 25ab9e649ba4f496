// libFuzzer entry for the MPEG-TS demuxer. Compiled into one module with Sources/Media by Fuzz/run.sh,
// so it imports nothing. Feeds the input whole, then again in chunks whose sizes come from the input itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTSDemuxer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var whole = TSDemuxer()
    var frames = 0
    whole.feed(input) { _, payload in frames &+= payload.count }
    whole.flush { _, payload in frames &+= payload.count }

    var split = TSDemuxer(options: TSDemuxer.Options(program: size > 0 ? Int(data[0]) : nil))
    var i = 0
    while i < size {
        let step = 1 + Int(data[i]) * 3
        let end = min(size, i + step)
        split.feed(UnsafeRawBufferPointer(rebasing: input[i..<end])) { _, payload in frames &+= payload.count }
        i = end
    }
    split.flush { _, _ in }
    return 0
}
