import Testing
import Config
@testable import Supervisor
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SupervisionTests {
    static let base = """
        http 8080;
        stream a { input fake://fake; }
        stream b { input udp://239.0.0.1:1234; segment_count 4; }
        ondemand c { input tshttp://origin/c; retry_limit 2; }
        template t { prefix t; input publish://; }
        stream d { input fake://fake; disabled; }
        """

    @Test func firstStartRunsEdgesAndOneIngestPerEnabledStaticStream() throws {
        var harness = Harness()
        let actions = harness.apply(try parsed(Self.base), at: 0)
        #expect(actions.summaries == [
            "spawn edge 0", "spawn edge 1", "ring a 196608", "spawn ingest a", "ring b 262144", "spawn ingest b",
        ])
        let spawns = actions.compactMap { if case .spawn(let spec) = $0 { spec } else { nil } }
        #expect(spawns[2].arguments == ["worker", "ingest", "--stream", "a", "--runtime-dir", "/run/test", "--instance", "t"])
        #expect(spawns[0].arguments == ["worker", "edge", "--index", "0", "--runtime-dir", "/run/test", "--instance", "t"])
        let ingestConfig = try parsed(spawns[2].config)
        #expect(ingestConfig.streams.map(\.name) == ["a"] && ingestConfig.http.map(\.port) == [8080])
        #expect(try parsed(spawns[0].config) == (try parsed(Self.base)))
        #expect(harness.supervision.workers.map(\.state) == [.starting, .starting, .starting, .starting])
        #expect(try harness.ready(.ingest(stream: "a"), at: 50).isEmpty)
        #expect(harness.supervision.worker(.ingest(stream: "a"))?.state == .running)
        #expect(harness.supervision.streamState("a", receivingFrames: true) == .running)
        #expect(harness.supervision.streamState("c", receivingFrames: false) == .waiting)
        #expect(harness.supervision.streamNames == ["a", "b", "c", "d"])
    }

    @Test func workersDefaultToTheCoreCountAndFollowTheConfig() throws {
        var harness = Harness(policy: testPolicy(edges: 3))
        #expect(harness.apply(try parsed("workers 1;"), at: 0).summaries == ["spawn edge 0"])
        var other = Harness(policy: testPolicy(edges: 3))
        #expect(other.apply(try parsed("http 80;"), at: 0).summaries == ["spawn edge 0", "spawn edge 1", "spawn edge 2"])
    }

    @Test func ingestCrashRestartsWithGrowingBackoffThatResetsAfterRunningLong() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        let a = WorkerID.ingest(stream: "a")
        var now: Int64 = 1_000
        var delays: [Int64] = []
        for _ in 0..<8 {
            let crash = try harness.exit(a, at: now)
            let timer = try #require(crash.compactMap { if case .setTimer(let t) = $0 { t } else { nil } }.first)
            #expect(crash.summaries == ["timer \(timer.milliseconds)"], "an ingest crash never touches edges")
            #expect(harness.supervision.worker(a)?.state == .backoff)
            // A timer that fires early (the loop's clock lagging) gets the same deadline asked for again, never lost.
            #expect(harness.tick(timer.milliseconds - 1).summaries == ["timer \(timer.milliseconds)"])
            delays.append(timer.milliseconds - now)
            now = timer.milliseconds
            #expect(harness.tick(now).summaries == ["spawn ingest a"], "the ring outlives its writer")
            now += 10
        }
        #expect(delays == [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000])
        #expect(harness.supervision.worker(a)?.restarts == 8)
        now += 10_000
        #expect(try harness.exit(a, at: now).summaries == ["timer \(now + 100)"])
        #expect(harness.supervision.worker(a)?.lastExit == .signaled(signal: SIGKILL))
    }

    @Test func edgeCrashRestartsOnlyThatEdge() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        let oldPID = try harness.pid(.edge(index: 1))
        #expect(try harness.exit(.edge(index: 1), signal: SIGSEGV, at: 500).summaries == ["timer 600"])
        #expect(harness.tick(600).summaries == ["spawn edge 1"])
        #expect(try harness.pid(.edge(index: 1)) != oldPID)
        #expect(harness.supervision.worker(.edge(index: 1))?.lastExit?.description == "signal \(SIGSEGV)")
    }

    @Test func spawnFailureBacksOff() throws {
        var supervision = Supervision(policy: testPolicy(edges: 1))
        let first = supervision.apply(try parsed("stream a { input fake://fake; }"), now: at(0))
        #expect(first.summaries == ["spawn edge 0", "ring a 196608", "spawn ingest a"])
        _ = supervision.spawned(.edge(index: 0), pid: 5, now: at(0))
        #expect(supervision.spawnFailed(.ingest(stream: "a"), reason: "ENOENT", now: at(0)).summaries == ["timer 100"])
        #expect(supervision.worker(.ingest(stream: "a"))?.lastExit?.description == "spawn failed: ENOENT")
    }

    @Test func reloadRestartsChangedStopsRemovedStartsAddedAndLeavesUnchangedAlone() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        let a = try harness.pid(.ingest(stream: "a"))
        let b = try harness.pid(.ingest(stream: "b"))
        let edges = [try harness.pid(.edge(index: 0)), try harness.pid(.edge(index: 1))]
        let reloaded = """
            http 8080;
            # a comment changes nothing
            stream a { input fake://fake; }
            stream b { input udp://239.0.0.1:1234; segment_count 5; }
            ondemand c { input tshttp://origin/c; retry_limit 2; }
            template t { prefix t; input publish://; }
            stream e { input fake://fake; }
            """
        let actions = harness.apply(try parsed(reloaded), at: 1_000)
        #expect(actions.summaries == [
            "configure \(edges[0])", "configure \(edges[1])", "TERM \(b)", "ring e 196608", "spawn ingest e", "timer 6000",
        ])
        #expect(!actions.summaries.contains { $0.contains(" a") || $0.contains("\(a)") }, "unchanged: no action at all")
        // d was disabled and is removed: it never ran, so nothing to do for it.
        #expect(try harness.exit(.ingest(stream: "b"), signal: SIGTERM, at: 1_200).summaries == ["ring b 327680", "spawn ingest b"])
        #expect(harness.supervision.worker(.ingest(stream: "b"))?.restarts == 1)
        #expect(try harness.pid(.ingest(stream: "a")) == a)

        // Removing a stream stops it; its ring goes once the worker has exited.
        let removed = harness.apply(try parsed(reloaded.replacingOccurrences("stream e { input fake://fake; }", "")), at: 2_000)
        let e = try harness.pid(.ingest(stream: "e"))
        #expect(removed.summaries == ["configure \(edges[0])", "configure \(edges[1])", "TERM \(e)", "timer 7000"])
        #expect(try harness.exit(.ingest(stream: "e"), signal: SIGTERM, at: 2_100).summaries == ["unring e"])
        #expect(harness.supervision.worker(.ingest(stream: "e")) == nil)
        #expect(harness.supervision.rings == ["a": 196_608, "b": 327_680])
    }

    @Test func reloadWithNoChangeDoesNothing() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        #expect(harness.apply(try parsed("# reformatted\n" + Self.base.replacingOccurrences(";", " ;")), at: 10).isEmpty)
    }

    @Test func changingAStreamInBackoffStartsItAtOnceAndRemovingOneDropsItsRing() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        _ = try harness.exit(.ingest(stream: "a"), at: 100)
        _ = try harness.exit(.ingest(stream: "b"), at: 100)
        let changed = Self.base.replacingOccurrences("stream a { input fake://fake; }", "stream a { input fake://fake; segment_count 3; meta x y; }")
            .replacingOccurrences("stream b { input udp://239.0.0.1:1234; segment_count 4; }", "")
        let actions = harness.apply(try parsed(changed), at: 150)
        #expect(actions.summaries == ["configure 100", "configure 101", "unring b", "spawn ingest a"])
    }

    /// A stream with `push rtmp://` targets gets a pusher beside its ingest worker; UDP pushes (not built) do not;
    /// removing the targets stops the pusher, removing the stream stops both.
    @Test func pushTargetsGetAPusherThatFollowsTheStream() throws {
        var harness = Harness()
        let config = "http 8080;\nworkers 1;\nstream a { input fake://fake; push rtmp://x/app/key; }\nstream b { input fake://fake; push udp://239.0.0.1:5000; }\n"
        let actions = harness.apply(try parsed(config), at: 0)
        #expect(actions.summaries == ["spawn edge 0", "ring a 196608", "spawn ingest a", "spawn pusher a", "ring b 196608", "spawn ingest b"])
        let spawns = actions.compactMap { if case .spawn(let spec) = $0 { spec } else { nil } }
        #expect(spawns[2].arguments == ["worker", "pusher", "--stream", "a", "--runtime-dir", "/run/test", "--instance", "t"])
        #expect(spawns[2].config == spawns[1].config)
        _ = try harness.ready(.pusher(stream: "a"), at: 10)
        let noPush = config.replacingOccurrences(" push rtmp://x/app/key;", "")
        // The stream changed: its ingest worker restarts (101) and its pusher (102) stops for good.
        #expect(harness.apply(try parsed(noPush), at: 20).summaries == ["configure 100", "TERM 101", "TERM 102", "timer 5020"])
        _ = try harness.exit(.pusher(stream: "a"), signal: 0, at: 30)
        #expect(harness.supervision.worker(.pusher(stream: "a")) == nil)
        #expect(WorkerID.pusher(stream: "a") > WorkerID.ingest(stream: "a") && WorkerID.pusher(stream: "a") < WorkerID.ingest(stream: "b"))
        #expect(WorkerID.pusher(stream: "a").role == "pusher" && WorkerID.pusher(stream: "a").stream == "a")
    }

    /// A publisher to a name a template makes starts its ingest worker and ring; the stream is listed; a reload
    /// that drops the template stops it; `stopPublished` frees it.
    @Test func templatesMakeStreamsForPublishers() throws {
        var harness = Harness()
        _ = harness.apply(try parsed("http 8080;\nworkers 1;\ntemplate chats { prefix chats; input publish://; }\n"), at: 0)
        #expect(throws: SupervisionError.self) { try harness.supervision.startPublished("other/x", now: at(5)) }
        let started = harness.perform(try harness.supervision.startPublished("chats/room-15", now: at(10)), now: at(10))
        #expect(started.summaries.prefix(2) == ["ring chats/room-15 196608", "spawn ingest chats/room-15"])
        let spec = try #require(started.compactMap { if case .spawn(let spec) = $0 { spec } else { nil } }.first)
        #expect(spec.arguments.prefix(4) == ["worker", "ingest", "--stream", "chats/room-15"])
        #expect(try parsed(spec.config).stream(named: "chats/room-15")?.settings.inputs.first?.url.scheme == "publish")
        #expect(harness.supervision.streamNames == ["chats/room-15"])
        #expect(try harness.supervision.startPublished("chats/room-15", now: at(20)).isEmpty, "already starting")
        let stopped = harness.apply(try parsed("http 8080;\nworkers 1;\n"), at: 30)
        #expect(stopped.summaries.contains { $0.hasPrefix("TERM") })
        #expect(harness.supervision.streamNames.isEmpty)
        #expect(harness.supervision.stopPublished("chats/room-15", now: at(40)).isEmpty)
    }

    @Test func listenerChangeRestartsEdgesOneByOne() throws {
        var harness = Harness()
        _ = harness.apply(try parsed("http 8080;"), at: 0)
        let edge0 = try harness.pid(.edge(index: 0))
        let edge1 = try harness.pid(.edge(index: 1))
        #expect(harness.apply(try parsed("http 8080; http 8081;"), at: 100).summaries == ["TERM \(edge0)", "timer 5100"])
        let respawn = try harness.exit(.edge(index: 0), signal: 0, at: 200)
        #expect(respawn.summaries == ["spawn edge 0", "timer 5200"])
        #expect(try parsed(try #require(harness.supervision.worker(.edge(index: 0))).spec.config).http.count == 2)
        #expect(try harness.ready(.edge(index: 0), at: 300).summaries == ["TERM \(edge1)", "timer 5300"])
        #expect(try harness.exit(.edge(index: 1), signal: 0, at: 400).summaries == ["spawn edge 1", "timer 5400"])
        // A new edge that never says it is ready holds the roll for `readyTimeout` at most; nothing is left to roll.
        #expect(harness.tick(5_400).isEmpty)
    }

    @Test func workerCountChangesAddOrStopEdgesOnly() throws {
        var harness = Harness()
        _ = harness.apply(try parsed("workers 2; stream a { input fake://fake; }"), at: 0)
        let grown = harness.apply(try parsed("workers 3; stream a { input fake://fake; }"), at: 10)
        #expect(grown.summaries == ["configure 100", "configure 101", "spawn edge 2"])
        let shrunk = harness.apply(try parsed("workers 1; stream a { input fake://fake; }"), at: 20)
        #expect(shrunk.summaries == ["TERM \(try harness.pid(.edge(index: 2)))", "TERM 101", "configure 100", "timer 5020"])
        #expect(try harness.exit(.edge(index: 2), signal: SIGTERM, at: 30).isEmpty)
        #expect(try harness.exit(.edge(index: 1), signal: SIGTERM, at: 30).isEmpty)
        #expect(harness.supervision.workers.map(\.id) == [.edge(index: 0), .ingest(stream: "a")])
    }

    @Test func retryLimitStopsOnDemandStreamsButNotStaticOnes() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base + "\nstream s { input fake://fake; retry_limit 0; }"), at: 0)
        let c = WorkerID.ingest(stream: "c")
        #expect(try harness.perform(harness.supervision.startOnDemand("c", now: at(0)), now: at(0)).summaries == ["ring c 196608", "spawn ingest c"])
        #expect(try harness.supervision.startOnDemand("c", now: at(1)).isEmpty)
        var now: Int64 = 10
        for _ in 0..<2 {
            _ = try harness.exit(c, at: now)
            now += 1_000
            #expect(harness.tick(now).summaries == ["spawn ingest c"])
        }
        #expect(try harness.exit(c, at: now).isEmpty, "a third failure in a row exceeds retry_limit 2")
        #expect(harness.supervision.worker(c)?.state == .failed)
        #expect(harness.supervision.streamState("c", receivingFrames: false) == .error)
        #expect(try harness.perform(harness.supervision.startOnDemand("c", now: at(now)), now: at(now)).summaries == ["spawn ingest c"])

        // A static stream retries forever, whatever its retry_limit.
        #expect(try harness.exit(.ingest(stream: "s"), at: now).summaries == ["timer \(now + 100)"])

        // The last viewer left: the worker stops and the ring goes.
        #expect(harness.perform(harness.supervision.stopOnDemand("c", now: at(now)), now: at(now)).summaries.first == "TERM \(try harness.pid(c))")
        #expect(try harness.perform(harness.supervision.startOnDemand("c", now: at(now)), now: at(now)).isEmpty)
        #expect(try harness.exit(c, signal: SIGTERM, at: now + 1).summaries == ["spawn ingest c"], "a viewer came back while it stopped")
        _ = harness.perform(harness.supervision.stopOnDemand("c", now: at(now + 2)), now: at(now + 2))
        #expect(try harness.exit(c, signal: SIGTERM, at: now + 3).summaries == ["unring c"])
        #expect(throws: SupervisionError.notRunning("t")) { try harness.supervision.startOnDemand("t", now: at(now)) }
        #expect(throws: SupervisionError.unknownStream("zz")) { try harness.supervision.startOnDemand("zz", now: at(now)) }
    }

    @Test func restartRequest() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        let a = try harness.pid(.ingest(stream: "a"))
        #expect(try harness.supervision.restart(stream: "a", now: at(10)).summaries == ["TERM \(a)", "timer 5010"])
        #expect(try harness.supervision.restart(stream: "a", now: at(15)).isEmpty, "already restarting")
        #expect(try harness.exit(.ingest(stream: "a"), signal: SIGTERM, at: 20).summaries == ["spawn ingest a"])
        _ = try harness.exit(.ingest(stream: "b"), at: 30)
        #expect(try harness.perform(harness.supervision.restart(stream: "b", now: at(40)), now: at(40)).summaries == ["spawn ingest b"])
        #expect(throws: SupervisionError.unknownStream("nope")) { try harness.supervision.restart(stream: "nope", now: at(50)) }
        #expect(throws: SupervisionError.notRunning("c")) { try harness.supervision.restart(stream: "c", now: at(50)) }
    }

    @Test func shutdownTermsThenKillsAfterGraceThenRemovesRingsAndExits() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        _ = try harness.exit(.ingest(stream: "b"), at: 50)
        let pids = [try harness.pid(.edge(index: 0)), try harness.pid(.edge(index: 1)), try harness.pid(.ingest(stream: "a"))]
        let stop = harness.perform(harness.supervision.shutdown(now: at(100)), now: at(100))
        #expect(stop.summaries == ["TERM \(pids[0])", "TERM \(pids[1])", "TERM \(pids[2])", "unring b", "timer 5100"])
        #expect(harness.supervision.apply(try parsed(Self.base), now: at(110)).isEmpty)
        #expect(throws: SupervisionError.shuttingDown) { try harness.supervision.restart(stream: "a", now: at(110)) }
        #expect(try harness.exit(.edge(index: 0), signal: SIGTERM, at: 200).isEmpty)
        #expect(harness.tick(5_099).summaries == ["timer 5100"], "an early tick asks for the deadline again")
        #expect(harness.tick(5_100).summaries == ["KILL \(pids[1])", "KILL \(pids[2])"])
        #expect(try harness.exit(.ingest(stream: "a"), at: 5_101).summaries == ["unring a"])
        #expect(try harness.exit(.edge(index: 1), at: 5_102).summaries == ["exit 0"])
        #expect(harness.supervision.rings.isEmpty)
        #expect(harness.supervision.shutdown(now: at(6_000)).isEmpty)
    }

    @Test func shutdownWithNothingRunningExitsAtOnce() {
        var supervision = Supervision(policy: testPolicy())
        #expect(supervision.shutdown(now: at(0)).summaries == ["exit 0"])
    }

    @Test func workersReply() throws {
        var harness = Harness()
        _ = harness.apply(try parsed("workers 1; stream a { input fake://fake; }"), at: 0)
        _ = try harness.exit(.ingest(stream: "a"), at: 1_000)
        let statuses = harness.supervision.workerStatuses(supervisorPID: 1, startedAt: at(0), now: at(1_500))
        #expect(statuses.map(\.role) == ["supervisor", "edge", "ingest"])
        #expect(statuses[0].uptimeMs == 1_500 && statuses[1].pid == 100 && statuses[1].uptimeMs == 1_500)
        #expect(statuses[2].pid == 0 && statuses[2].stream == "a" && statuses[2].state == "backoff")
        #expect(statuses[2].lastExit == "signal \(SIGKILL)" && statuses[2].uptimeMs == nil)
    }

    @Test func unknownPidsAndLateEventsAreHarmless() throws {
        var harness = Harness()
        _ = harness.apply(try parsed(Self.base), at: 0)
        #expect(harness.supervision.exited(pid: 9_999, status: 0, signal: 0, now: at(1)).isEmpty)
        #expect(harness.supervision.ready(pid: 9_999, now: at(1)).isEmpty)
        #expect(harness.supervision.spawned(.ingest(stream: "gone"), pid: 77, now: at(1)).summaries == ["TERM 77"])
        #expect(harness.supervision.stopOnDemand("a", now: at(1)).isEmpty)
    }
}

@Suite struct SystemdNotificationTests {
    @Test func messages() {
        #expect(SystemdNotification.ready(status: "2 streams\n4 workers") == "READY=1\nSTATUS=2 streams 4 workers\n")
        #expect(SystemdNotification.reloading(monotonicMicroseconds: 123_456) == "RELOADING=1\nMONOTONIC_USEC=123456\n")
        #expect(SystemdNotification.stopping == "STOPPING=1\n")
        #expect(SystemdNotification.status("reload failed") == "STATUS=reload failed\n")
    }

    @Test func backoffPolicy() {
        let policy = testPolicy()
        #expect((1...9).map { policy.backoff(failures: $0) } == [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000].map(Duration.milliseconds))
        #expect(at(1_000) + .milliseconds(1_500) == at(2_500))
        #expect(at(0) + .seconds(Int64.max) == at(.max))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
