/// The receiving half that both handshake sides share: the peer's version byte (refused at once unless it is 3),
/// its first 1536-byte packet (C1 or S1), its second (C2 or S2), then whatever follows, which belongs to the chunk
/// stream. Buffers at most one packet plus the current read.
struct RTMPHandshakeReader: Sendable {
    enum Event {
        /// C1 or S1: the side answers it.
        case first([UInt8])
        /// C2 or S2, and the bytes after it: the handshake is over.
        case second([UInt8], leftover: [UInt8])
        case fail(RTMPError)
    }

    private enum Stage {
        case first
        case second
        case done
        case failed(RTMPError)
    }

    private var stage = Stage.first
    private var buffer: [UInt8] = []
    private var versionSeen = false

    var isDone: Bool { if case .done = stage { true } else { false } }

    mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        switch stage {
        case .failed(let error):
            return [.fail(error)]
        case .done:
            return [.second([], leftover: Array(bytes))]
        case .first, .second:
            break
        }
        if !versionSeen, let first = bytes.first {
            guard first == RTMPHandshake.version else {
                let error = RTMPHandshake.versionError(first)
                stage = .failed(error)
                return [.fail(error)]
            }
            versionSeen = true
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()))
        } else {
            buffer.append(contentsOf: bytes)
        }
        let size = RTMPHandshake.packetSize
        var events: [Event] = []
        if case .first = stage, buffer.count >= size {
            events.append(.first(Array(buffer[..<size])))
            buffer.removeFirst(size)
            stage = .second
        }
        if case .second = stage, buffer.count >= size {
            events.append(.second(Array(buffer[..<size]), leftover: Array(buffer[size...])))
            buffer = []
            stage = .done
        }
        return events
    }

    mutating func fail(_ error: RTMPError) {
        stage = .failed(error)
    }
}
