import Config

/// The failover and timeout policy of one stream's inputs, as a pure state machine: events in (`start`, `opened`,
/// `frame`, `failed`, `tick`), `Action`s out for the ingest worker to perform. No I/O and no clock of its own: every
/// event carries `now`, monotonic milliseconds (libuv's `uv_now`).
///
/// Rules (reference.md section 2):
/// - Inputs are ranked by `priority=` (1 highest), inputs of equal priority in listing order; an input without
///   `priority=` ranks after every input with one. `inputs` holds them in rank order; actions name an input by its
///   index there.
/// - `start` opens the best input. Exactly one input is the *active* one, whose frames go to the ring; it becomes
///   active at its first keyframe. When it is lost (it disconnects, fails, or sends no frame for its source timeout)
///   the best input not waiting out a backoff is opened at once (failover); when every input is backing off, the
///   stream waits for the first one due.
/// - Inputs ranked above the active one (or above the one being tried) are retried in the background (`probe`)
///   whenever their backoff allows; a probe takes over at its first keyframe (switch back), and every open input
///   ranked below the new active one is closed.
/// - Source timeout: the input's `source_timeout=`, else the stream's, else 60 s (180 s for hls/hlss/timeshift),
///   counted from the open request, then from each frame.
/// - `frames_timeout`: the active input's silence raises `frames_timed_out` once, then `frames_restored` at the
///   next frame.
/// - Backoff per input (`RetryBackoff`), forgotten once the input has been active for `stableAfter`.
/// - `retry_limit` (ondemand and template streams only; static streams retry forever): every attempt to restore the
///   stream after a failure counts (failover and reconnect alike, not background probes); the count restarts once a
///   source has run well; beyond the limit the selector closes everything, says `giveUp` and is in error until the
///   next `start`.
///
/// `isKeyframe` in `frame` means a point the stream can start from: a video keyframe, or any frame of a source
/// without video. Frames of any input other than `active` are for the selector's bookkeeping only: the caller drops
/// them (after performing the actions, so a switching keyframe is written).
public struct InputSelector: Sendable {
    public enum Action: Hashable, Sendable {
        /// Open this input as the stream's next source (at start, failover, reconnect).
        case open(Int)
        /// Open this better-ranked input in the background, to switch back to it at its first keyframe.
        case probe(Int)
        /// Close this input and free what it holds (also after it `failed`).
        case close(Int)
        /// From now on this input's frames go to the ring.
        case switchTo(Int)
        /// The active source (re)starts: bump the ring's generation, start a new `GenerationRebaser` generation.
        case newGeneration
        /// For the log and the event sinks.
        case event(IngestEventName, input: Int, reason: String?)
        /// `retry_limit` reached: the stream is in error; every input is already closed.
        case giveUp(String)
    }

    /// The stream's inputs in rank order.
    public let inputs: [InputConfig]
    /// Per input (parallel to `inputs`): milliseconds without a frame before it is lost.
    public let sourceTimeouts: [Int64]
    /// Milliseconds without a frame from the active input before `frames_timed_out`.
    public let framesTimeout: Int64?
    /// nil: retry forever (static streams, or no `retry_limit`).
    public let retryLimit: Int?
    public let backoff: RetryBackoff

    /// The input whose frames go to the ring.
    public private(set) var active: Int?

    private enum Phase: Sendable {
        case idle
        case opening
        case open
    }

    private struct Slot: Sendable {
        var phase = Phase.idle
        /// The open request, then the latest frame.
        var lastActivity: Int64 = 0
        /// Consecutive failures, for the backoff.
        var failures = 0
        /// No attempt before this time.
        var retryAt = Int64.min
    }

    private var slots: [Slot]
    /// The input opened to restore the stream while none is active.
    private var attempt: Int?
    private var activeSince: Int64 = 0
    private var ranWell = false
    private var framesTimedOut = false
    private var started = false
    private var gaveUp = false
    /// Attempts from now on count against `retry_limit` (everything after the one at `start`).
    private var countAttempts = false
    private var retryCount = 0
    private var lastError: String?

    /// The default `source_timeout`, in seconds, and the one of sources that deliver in bursts (HLS, timeshift).
    public static let defaultSourceTimeout = 60
    public static let slowSourceTimeout = 180
    private static let slowSchemes: Set<String> = ["hls", "hlss", "timeshift"]

    public init(settings: StreamSettings, kind: StreamKind, backoff: RetryBackoff = RetryBackoff()) {
        let ranked = settings.inputs.enumerated().sorted {
            ($0.element.priority ?? Int.max, $0.offset) < ($1.element.priority ?? Int.max, $1.offset)
        }
        inputs = ranked.map(\.element)
        sourceTimeouts = inputs.map { input in
            let fallback = Self.slowSchemes.contains(input.url.scheme) ? Self.slowSourceTimeout : Self.defaultSourceTimeout
            return Int64(input.sourceTimeout ?? settings.sourceTimeout ?? fallback) * 1_000
        }
        framesTimeout = settings.framesTimeout.map { Int64($0) * 1_000 }
        retryLimit = kind == .static ? nil : settings.retryLimit
        self.backoff = backoff
        slots = Array(repeating: Slot(), count: inputs.count)
    }

    public var status: InputStatus {
        let state: InputStatus.State = gaveUp ? .error : active == nil ? .waiting : .running
        let shown = active ?? attempt
        return InputStatus(state: state, input: shown.map { inputs[$0].url.redacted }, retryCount: retryCount, lastError: lastError)
    }

    /// Starts (or restarts, after `giveUp`) from a clean state: every input closed, no backoff, no retry counted.
    public mutating func start(now: Int64) -> [Action] {
        var actions: [Action] = []
        for index in slots.indices where slots[index].phase != .idle { actions.append(.close(index)) }
        slots = Array(repeating: Slot(), count: inputs.count)
        active = nil
        attempt = nil
        started = true
        gaveUp = false
        countAttempts = false
        retryCount = 0
        lastError = nil
        reconcile(now: now, &actions)
        return actions
    }

    /// The input's connection is up (it may not have sent anything yet).
    public mutating func opened(_ input: Int, now: Int64) -> [Action] {
        if isLive, slots.indices.contains(input), slots[input].phase == .opening { slots[input].phase = .open }
        return []
    }

    /// A frame arrived from `input`. Cheap when nothing changes (no allocation): call it for every frame, then write
    /// the frame only if `active == input`.
    public mutating func frame(_ input: Int, isKeyframe: Bool, now: Int64) -> [Action] {
        guard isLive, slots.indices.contains(input), slots[input].phase != .idle else { return [] }
        slots[input].phase = .open
        slots[input].lastActivity = now
        if input == active {
            var actions: [Action] = []
            if framesTimedOut {
                framesTimedOut = false
                actions.append(.event(.framesRestored, input: input, reason: nil))
            }
            if !ranWell && now - activeSince >= backoff.stableAfter {
                ranWell = true
                slots[input].failures = 0
                retryCount = 0
            }
            return actions
        }
        guard isKeyframe, input < active ?? inputs.count else { return [] }
        var actions: [Action] = []
        activate(input, now: now, &actions)
        return actions
    }

    /// `input` failed to open, disconnected or sent something unusable.
    public mutating func failed(_ input: Int, reason: String, now: Int64) -> [Action] {
        guard isLive, slots.indices.contains(input), slots[input].phase != .idle else { return [] }
        var actions: [Action] = []
        lose(input, reason: reason, now: now, &actions)
        reconcile(now: now, &actions)
        return actions
    }

    /// Something came for `input` that makes waiting out its backoff pointless (a publisher connected to a
    /// `publish://` input): its backoff ends now, and if it is idle it is opened as the rules say (an attempt when
    /// nothing is active, a probe when it ranks above the active input).
    public mutating func retryNow(_ input: Int, now: Int64) -> [Action] {
        guard isLive, slots.indices.contains(input), slots[input].phase == .idle else { return [] }
        slots[input].retryAt = now
        var actions: [Action] = []
        reconcile(now: now, &actions)
        return actions
    }

    /// Time passes: source timeouts, `frames_timeout`, backoffs that end. Call it at `nextTick` (or often enough for
    /// the precision wanted).
    public mutating func tick(now: Int64) -> [Action] {
        guard isLive else { return [] }
        var actions: [Action] = []
        for index in slots.indices where slots[index].phase != .idle {
            let silence = now - slots[index].lastActivity
            if silence >= sourceTimeouts[index] {
                lose(index, reason: "no frame for \(silence / 1_000) s (source_timeout \(sourceTimeouts[index] / 1_000) s)", now: now, &actions)
            }
        }
        if let active, let framesTimeout, !framesTimedOut {
            let silence = now - slots[active].lastActivity
            if silence >= framesTimeout {
                framesTimedOut = true
                actions.append(.event(.framesTimedOut, input: active, reason: "no frame for \(silence / 1_000) s"))
            }
        }
        reconcile(now: now, &actions)
        return actions
    }

    /// When `tick` will next have something to do (a source timeout, `frames_timeout`, a backoff that ends and lets
    /// an input be opened), as things stand; nil when nothing is pending (stopped, gave up). Ticks before it return
    /// no action, so a worker can sleep until then instead of ticking a few times a second. Events (`frame`, `failed`,
    /// `opened`, `retryNow`, `start`) can move it: ask again after each that returned actions. A frame only moves it
    /// later.
    public var nextTick: Int64? {
        guard isLive else { return nil }
        var next = Int64.max
        for index in slots.indices where slots[index].phase != .idle {
            next = min(next, slots[index].lastActivity &+ sourceTimeouts[index])
        }
        if let active, let framesTimeout, !framesTimedOut {
            next = min(next, slots[active].lastActivity &+ framesTimeout)
        }
        // What `reconcile` opens once its backoff ends: any idle input while nothing is active or tried, else those
        // ranked above the active one (or the one tried).
        let target = active ?? attempt ?? inputs.count
        for index in 0..<target where slots[index].phase == .idle {
            next = min(next, slots[index].retryAt)
        }
        return next == .max ? nil : next
    }

    private var isLive: Bool { started && !gaveUp }

    /// Makes `input` the active one: closes every open input ranked below it (the one it replaces included).
    private mutating func activate(_ input: Int, now: Int64, _ actions: inout [Action]) {
        for index in slots.indices where index > input && slots[index].phase != .idle {
            slots[index].phase = .idle
            actions.append(.close(index))
        }
        active = input
        attempt = nil
        activeSince = now
        ranWell = false
        framesTimedOut = false
        actions.append(.switchTo(input))
        actions.append(.newGeneration)
        actions.append(.event(.sourceReady, input: input, reason: nil))
    }

    /// Closes a failed input and starts its backoff.
    private mutating func lose(_ input: Int, reason: String, now: Int64, _ actions: inout [Action]) {
        slots[input].phase = .idle
        slots[input].failures += 1
        slots[input].retryAt = now + backoff.delay(afterFailures: slots[input].failures)
        lastError = "\(inputs[input].url.redacted): \(reason)"
        actions.append(.close(input))
        if input == active {
            active = nil
            actions.append(.event(.sourceLost, input: input, reason: reason))
        } else {
            if input == attempt { attempt = nil }
            actions.append(.event(.sourceFailed, input: input, reason: reason))
        }
    }

    /// Opens what the rules want open now: an attempt when nothing is active or being tried, and probes of every
    /// idle input ranked above the active one (or the attempt) whose backoff has ended.
    private mutating func reconcile(now: Int64, _ actions: inout [Action]) {
        guard isLive else { return }
        if active == nil && attempt == nil,
            let best = slots.indices.first(where: { slots[$0].phase == .idle && slots[$0].retryAt <= now })
        {
            if countAttempts {
                retryCount += 1
                if let retryLimit, retryCount > retryLimit {
                    retryCount -= 1
                    giveUp(&actions)
                    return
                }
            }
            countAttempts = true
            attempt = best
            begin(best, now: now)
            actions.append(.open(best))
        }
        let target = active ?? attempt ?? inputs.count
        for index in 0..<target where slots[index].phase == .idle && slots[index].retryAt <= now {
            begin(index, now: now)
            actions.append(.probe(index))
        }
    }

    private mutating func begin(_ input: Int, now: Int64) {
        slots[input].phase = .opening
        slots[input].lastActivity = now
    }

    private mutating func giveUp(_ actions: inout [Action]) {
        for index in slots.indices where slots[index].phase != .idle {
            slots[index].phase = .idle
            actions.append(.close(index))
        }
        active = nil
        attempt = nil
        gaveUp = true
        let limit = retryLimit ?? 0
        actions.append(.giveUp("retry_limit \(limit) reached" + (lastError.map { "; last error: \($0)" } ?? "")))
    }
}
