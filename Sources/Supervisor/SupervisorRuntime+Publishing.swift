import Config
import Control
import EventLoop

extension SupervisorRuntime {
    /// How long a publisher waits for its stream's ingest worker to start, and how long a stream made for publishers
    /// lives on without one (its viewers keep the playlist meanwhile, and a publisher that comes back continues it).
    static let publisherStartTimeoutMs: Int64 = 10_000
    static let publishedIdleTimeoutMs: Int64 = 30_000

    /// Passes a publisher's connection from the edge that accepted it to its stream's ingest worker. A stream a
    /// template makes is started first (the publisher waits for its worker's `ready`). Without either, the publisher
    /// is disconnected: it will reconnect, as encoders do.
    func relay(_ handoff: WorkerMessage.Handoff, from edge: WorkerProcess) {
        guard let connection = edge.takeReceivedConnection() else {
            return log.error("\(edge.id) handed over a \(handoff.proto) publisher of \(handoff.stream) without its connection")
        }
        let id = WorkerID.ingest(stream: handoff.stream)
        if let ingest = workers.values.first(where: { $0.id == id }), supervision.worker(id)?.state == .running {
            return hand(handoff, connection, to: ingest)
        }
        if supervision.config?.publishedStream(named: handoff.stream) != nil {
            let isNew = supervision.worker(id) == nil
            do {
                perform(try supervision.startPublished(handoff.stream, now: Self.now()))
            } catch {
                log.notice("\(handoff.stream): cannot start it for a \(handoff.proto) publisher (\(error)); disconnected")
                return connection.close()
            }
            if isNew { log.notice("\(handoff.stream): made from its template for a \(handoff.proto) publisher") }
        } else if supervision.worker(id) == nil {
            log.notice("\(handoff.stream): no ingest worker for a \(handoff.proto) publisher; disconnected")
            return connection.close()
        }
        waitingPublishers[handoff.stream, default: []].append((handoff, connection, Self.now().milliseconds))
    }

    private func hand(_ handoff: WorkerMessage.Handoff, _ connection: TCPConnection, to ingest: WorkerProcess) {
        do {
            try ingest.send(WorkerMessage.handoff(handoff), passing: connection)
        } catch {
            log.error("\(handoff.stream): cannot hand a \(handoff.proto) publisher to pid \(ingest.pid): \(error)")
            connection.close()
        }
    }

    /// The stream's ingest worker is ready: the publishers that waited for it go to it.
    func handWaitingPublishers(of stream: String, to ingest: WorkerProcess) {
        for waiting in waitingPublishers.removeValue(forKey: stream) ?? [] { hand(waiting.handoff, waiting.connection, to: ingest) }
    }

    /// Every few seconds: publishers that waited too long for a worker are let go; streams made for publishers that
    /// have had none for `publishedIdleTimeoutMs` stop and free their ring.
    func checkPublishedStreams() {
        let now = Self.now().milliseconds
        for (stream, waiting) in waitingPublishers {
            let (late, fresh) = (waiting.filter { now - $0.since > Self.publisherStartTimeoutMs },
                                 waiting.filter { now - $0.since <= Self.publisherStartTimeoutMs })
            for publisher in late { publisher.connection.close() }
            if !late.isEmpty { log.notice("\(stream): \(late.count) publisher(s) waited too long for the ingest worker; disconnected") }
            waitingPublishers[stream] = fresh.isEmpty ? nil : fresh
        }
        let published = Set(supervision.publishedStreams)
        publisherlessSince = publisherlessSince.filter { published.contains($0.key) }
        for stream in published {
            if ingestStates[stream]?.status == StreamStatus.State.running.rawValue || waitingPublishers[stream] != nil {
                publisherlessSince[stream] = nil
            } else if let since = publisherlessSince[stream] {
                if now - since >= Self.publishedIdleTimeoutMs {
                    log.notice("\(stream): no publisher for \(Self.publishedIdleTimeoutMs / 1000) s; stopped")
                    publisherlessSince[stream] = nil
                    perform(supervision.stopPublished(stream, now: Self.now()))
                }
            } else {
                publisherlessSince[stream] = now
            }
        }
    }
}
