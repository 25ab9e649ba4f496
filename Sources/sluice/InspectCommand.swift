import Inspect
import Media

/// `sluice inspect SOURCE`: a stream analyser for operators (docs/inspect.md).
enum InspectCommand {
    static let spec = CommandSpec(
        name: "inspect", usage: "FILE|udp://...|tshttp://... [options]",
        summary: "Analyse an MPEG-TS file, udp:// or tshttp:// source: programs, tracks, bitrate, keyframes, errors.",
        options: [
            .init(name: "seconds", value: "N", help: "Seconds to read a live source (default 10)."),
            .init(name: "program", value: "N", help: "The program number to analyse (default: the first in the PAT)."),
            .init(name: "pids", value: "A,B", help: "Only these elementary PIDs."),
            .init(name: "json", value: nil, help: "Print JSON for machines."),
        ],
        positionals: 1...1,
        discussion: """
        examples:
          sluice inspect recording.ts
          sluice inspect udp://eth1@239.0.0.1:1234 --seconds 5
          sluice inspect tshttp://origin:8080/news/mpegts --json
        A live source is read for --seconds; a file is read to its end.
        """
    )

    static func run(_ arguments: ParsedArguments) throws -> Int32 {
        var options = TSDemuxer.Options()
        options.program = try arguments.number("program", as: Int.self, help: spec.help)
        if let pids = arguments.options["pids"] {
            let list = pids.split(separator: ",").map { Int($0) }
            guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else {
                throw UsageError(message: "--pids \(pids): not a comma-separated list of numbers", help: spec.help)
            }
            options.pids = Set(list.compactMap { $0 })
        }
        let seconds = try arguments.number("seconds", as: Double.self, help: spec.help) ?? 10
        let report = try Inspector.inspect(arguments.positionals[0], seconds: seconds, options: options)
        print(arguments.flags.contains("json") ? report.json.serialized(pretty: true) : report.text)
        return 0
    }
}
