import Testing
@testable import Edge

@Suite struct ClientDemandTests {
    /// Whether `viewed` tells, for each (stream, now) in turn.
    static func told(_ demand: inout ClientDemand, _ views: [(String, UInt64)]) -> [Bool] {
        views.map { demand.viewed($0.0, now: $0.1) }
    }

    @Test func firstViewTellsAtOnceThenAtMostOncePerInterval() {
        var demand = ClientDemand()
        let told = Self.told(&demand, [("cam", 5000), ("cam", 5001), ("cam", 5999), ("other", 5999), ("cam", 6000),
                                       ("cam", 6500), ("cam", 7100)])
        #expect(told == [true, false, false, true, true, false, true])
    }

    @Test func sweepForgetsQuietStreams() {
        var demand = ClientDemand()
        #expect(Self.told(&demand, [("cam", 1000), ("gate", 1400)]) == [true, true])
        demand.sweep(now: 1500)
        #expect(Self.told(&demand, [("cam", 1500)]) == [false])
        demand.sweep(now: 11_000)
        #expect(demand.streams == ["gate"])
        demand.sweep(now: 11_400)
        #expect(demand.streams.isEmpty)
        #expect(Self.told(&demand, [("cam", 11_400)]) == [true])
    }
}
