/// Whether a UDP socket that carries a stream may go on being read in batches on a clock (`AlignedTicker`) rather
/// than on every arrival, and why not when it may not.
///
/// Read every `periodMs`, the socket holds up to a period of datagrams in the kernel, which counts each one at its
/// buffer's true size (about 1.75 times a 1316-byte payload on loopback, up to 3 times behind some network drivers)
/// and drops what does not fit. A batch that brought more payload than a quarter of the socket's buffer is too close
/// to that (3 times a quarter, with a late tick's margin on top): such a socket is read as its datagrams arrive from
/// then on. A keyframe comes as one burst: a 4 Mbit/s stream's can bring 60 KB in one period.
public struct UDPReceivePacing: Sendable, Equatable {
    /// The period of the ingest's UDP inputs: a video frame at 25 frames per second, the latency it adds.
    public static let standardPeriodMs: UInt32 = 40

    public let periodMs: UInt32
    /// The socket's receive buffer as the kernel counts it (SO_RCVBUF read back: twice what was asked, capped by
    /// `net.core.rmem_max`).
    public let bufferBytes: Int

    public init(periodMs: UInt32, bufferBytes: Int) {
        self.periodMs = periodMs
        self.bufferBytes = bufferBytes
    }

    /// The payload bytes one batch may bring with reading still paced.
    public var batchLimit: Int { bufferBytes / 4 }

    /// Whether the socket may still be read on the clock after a batch of `bytes` bytes of payload.
    public func keepsPacing(afterBatchOf bytes: Int) -> Bool { bytes <= batchLimit }

    /// What to tell the operator when pacing ends after a batch of `bytes` bytes.
    public func endReason(afterBatchOf bytes: Int) -> String {
        "a \(periodMs) ms batch brought \(bytes / 1024) KiB, more than a quarter of the \(bufferBytes / 1024) KiB "
            + "receive buffer (raise net.core.rmem_max for this bitrate): reading each datagram as it arrives"
    }
}
