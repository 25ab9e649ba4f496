import EventLoop

/// The last segments an edge worker muxed, so that every viewer of a segment gets the same shared bytes and the
/// segment is muxed once per edge. Bounded by count; the oldest insertion goes first.
struct SegmentCache {
    struct Key: Hashable {
        var stream: String
        /// The track selection's directory (`""`, `video`, `tracks-v1a1`).
        var selection: String
        var number: UInt64
    }

    let capacity: Int
    private var entries: [Key: SharedBytes] = [:]
    private var order: [Key] = []

    init(capacity: Int) { self.capacity = capacity }

    func bytes(for key: Key) -> SharedBytes? { entries[key] }

    mutating func insert(_ bytes: SharedBytes, for key: Key) {
        if entries.updateValue(bytes, forKey: key) == nil { order.append(key) }
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }

    mutating func remove(stream: String) {
        order.removeAll { $0.stream == stream }
        entries = entries.filter { $0.key.stream != stream }
    }

    mutating func removeAll() {
        entries.removeAll()
        order.removeAll()
    }
}
