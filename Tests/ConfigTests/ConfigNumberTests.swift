import Testing
@testable import Config

@Suite struct ConfigNumberTests {
    @Test func integers() {
        #expect(ConfigNumber.integer("42") == 42)
        #expect(ConfigNumber.integer("16#1F") == 31)
        #expect(ConfigNumber.integer("16#fb") == 251)
        #expect(ConfigNumber.integer("0x12") == 18)
        #expect(ConfigNumber.integer("") == nil)
        #expect(ConfigNumber.integer("-1") == nil)
        #expect(ConfigNumber.integer("1a") == nil)
        #expect(ConfigNumber.integer("16#") == nil)
        #expect(ConfigNumber.integer("99999999999999999999999") == nil)
    }

    @Test func durations() {
        #expect(ConfigNumber.duration("10") == 10)
        #expect(ConfigNumber.duration("10s") == 10)
        #expect(ConfigNumber.duration("5m") == 300)
        #expect(ConfigNumber.duration("20h") == 72_000)
        #expect(ConfigNumber.duration("5d") == 432_000)
        #expect(ConfigNumber.duration("5x") == nil)
        #expect(ConfigNumber.duration("d") == nil)
        #expect(ConfigNumber.duration("999999999999999999d") == nil)
        #expect(ConfigNumber.durationText(432_000) == "5d")
        #expect(ConfigNumber.durationText(7200) == "2h")
        #expect(ConfigNumber.durationText(90) == "90")
        #expect(ConfigNumber.durationText(0) == "0")
    }

    @Test func sizesAndPercents() {
        #expect(ConfigNumber.size("500M") == 500 << 20)
        #expect(ConfigNumber.size("10G") == 10 << 30)
        #expect(ConfigNumber.size("2T") == 2 << 40)
        #expect(ConfigNumber.size("4k") == 4096)
        #expect(ConfigNumber.size("5m") == nil)
        #expect(ConfigNumber.size("99999999999T") == nil)
        #expect(ConfigNumber.sizeText(10 << 30) == "10G")
        #expect(ConfigNumber.sizeText(1000) == "1000")
        #expect(ConfigNumber.percent("90%") == 90)
        #expect(ConfigNumber.percent("90") == nil)
        #expect(ConfigNumber.percent("%") == nil)
    }

    @Test func schedules() throws {
        let list = try #require(DVRScheduleInterval.parseList("8:00-16:00,22-1:30"))
        #expect(list == [DVRScheduleInterval(start: 480, end: 960), DVRScheduleInterval(start: 1320, end: 90)])
        #expect(list.map(\.description) == ["8-16", "22-1:30"])
        #expect(DVRScheduleInterval.parseList("8-25") == nil)
        #expect(DVRScheduleInterval.parseList("8:5-9") == nil)
        #expect(DVRScheduleInterval.parseList("8-9,") == nil)
        #expect(DVRScheduleInterval.parseList("24:30-1") == nil)
    }
}
