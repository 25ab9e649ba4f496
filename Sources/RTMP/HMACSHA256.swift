/// HMAC with SHA-256 (RFC 2104, tested with RFC 4231's vectors), incremental: the RTMP digest handshake signs a
/// 1536-byte packet minus the 32 bytes where the digest goes, which `update` takes in two pieces. Same caveats as
/// `SHA256`: correct, not constant-time, for a few kilobytes per connection.
public struct HMACSHA256: Sendable {
    private var inner = SHA256()
    private var outerKey: [UInt8]

    public init(key: [UInt8]) {
        var key = key.count > SHA256.blockSize ? SHA256.hash(key) : key
        key += [UInt8](repeating: 0, count: SHA256.blockSize - key.count)
        outerKey = key.map { $0 ^ 0x5C }
        inner.update(key.map { $0 ^ 0x36 })
    }

    /// The 32-byte code of `message` under `key` in one call.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var hmac = HMACSHA256(key: key)
        hmac.update(message)
        return hmac.finalize()
    }

    public mutating func update(_ bytes: [UInt8]) {
        inner.update(bytes)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        inner.update(bytes)
    }

    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { inner.update($0) }
    }

    /// The 32-byte code; the value is spent afterwards.
    public mutating func finalize() -> [UInt8] {
        var outer = SHA256()
        outer.update(outerKey)
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
