import ArgumentParser
import Inspect
import Media

/// `sluice inspect SOURCE`: a stream analyser for operators.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Analyse an MPEG-TS file, udp:// or tshttp:// source: programs, tracks, bitrate, keyframes, errors.",
        discussion: """
        Examples:
          sluice inspect recording.ts
          sluice inspect udp://eth1@239.0.0.1:1234 --seconds 5
          sluice inspect 'tshttp://origin:8080/news/mpegts' --json
        A live source is read for --seconds; a file is read to its end.
        """
    )

    @Argument(help: "A file path, udp://[IFACE@]GROUP:PORT[/IFACE_IP] or tshttp://HOST[:PORT]/PATH.") var source: String
    @Option(help: "Seconds to read a live source.") var seconds: Double = 10
    @Option(help: "The program number to analyse (default: the first in the PAT).") var program: Int?
    @Option(help: "Only these elementary PIDs, comma-separated.") var pids: String?
    @Flag(help: "Print JSON for machines.") var json = false

    func run() throws {
        var options = TSDemuxer.Options()
        do {
            if let program { options.program = program }
            if let pids {
                let list = pids.split(separator: ",").map { Int($0.trimmingCharacters(in: " ")) }
                guard list.allSatisfy({ $0 != nil }) else { throw CommandError("--pids \(pids): not a list of numbers") }
                options.pids = Set(list.compactMap { $0 })
            }
            let report = try Inspector.inspect(source, seconds: seconds, options: options)
            print(json ? report.json.serialized(pretty: true) : report.text)
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("sluice inspect: \(error)")
            throw ExitCode(1)
        }
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
