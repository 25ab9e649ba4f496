import EventLoop

/// The last segments an edge worker muxed, so that every viewer of a segment gets the same shared bytes and the
/// segment is muxed once per edge. Bounded in bytes; the oldest insertion goes first.
struct SegmentCache {
    struct Key: Hashable {
        var stream: String
        /// The track selection's directory (`""`, `video`, `tracks-v1a1`).
        var selection: String
        var number: UInt64
    }

    /// Bytes kept at most (the newest segment is kept even if it alone is larger).
    let capacity: Int
    private var entries: [Key: SharedBytes] = [:]
    private var order: [Key] = []
    private var bytes = 0

    init(capacity: Int) { self.capacity = capacity }

    func bytes(for key: Key) -> SharedBytes? { entries[key] }

    mutating func insert(_ segment: SharedBytes, for key: Key) {
        if let old = entries.updateValue(segment, forKey: key) {
            bytes -= old.count
        } else {
            order.append(key)
        }
        bytes += segment.count
        while bytes > capacity && order.count > 1 {
            if let evicted = entries.removeValue(forKey: order.removeFirst()) { bytes -= evicted.count }
        }
    }

    mutating func remove(stream: String) {
        order.removeAll { $0.stream == stream }
        entries = entries.filter { $0.key.stream != stream }
        bytes = entries.values.reduce(0) { $0 + $1.count }
    }

    mutating func removeAll() {
        entries.removeAll()
        order.removeAll()
        bytes = 0
    }
}
