/// MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): the AAC decoder configuration, as carried in MP4
/// `esds`, FLV's AAC sequence header, and RTP `config=`. Sluice keeps the original bytes (`bytes`) and the
/// fields a packager needs.
public struct AudioSpecificConfig: Hashable, Sendable {
    /// Audio object type: 2 = AAC LC, 5 = SBR (HE-AAC), 29 = PS (HE-AACv2).
    public var objectType: Int
    /// Index into `AudioSpecificConfig.sampleRates`, or 15 with an explicit rate.
    public var frequencyIndex: Int
    public var sampleRate: Int
    /// channelConfiguration: 1...6 channels, 7 = 7.1 (8 channels); 0 = defined in a program config element.
    public var channelConfiguration: Int
    /// The record as received or built.
    public var bytes: [UInt8]

    public static let sampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050,
                                     16000, 12000, 11025, 8000, 7350]

    /// Number of channels the configuration stands for.
    public var channels: Int { channelConfiguration == 7 ? 8 : channelConfiguration }

    /// Builds the 2-byte form from its fields (as from an ADTS header).
    public init(objectType: Int, frequencyIndex: Int, channelConfiguration: Int) {
        self.objectType = objectType
        self.frequencyIndex = frequencyIndex
        self.sampleRate = frequencyIndex < Self.sampleRates.count ? Self.sampleRates[frequencyIndex] : 0
        self.channelConfiguration = channelConfiguration
        var w = BitWriter()
        w.write(objectType, bits: 5)
        w.write(frequencyIndex, bits: 4)
        w.write(channelConfiguration, bits: 4)
        w.write(0, bits: 3)
        self.bytes = w.bytes
    }

    /// Parses a received record; keeps its bytes as they are.
    public init(parsing bytes: [UInt8]) throws {
        var r = BitReader(bytes, what: "AudioSpecificConfig")
        var type = try r.int(5)
        if type == 31 { type = 32 + (try r.int(6)) }
        let index = try r.int(4)
        let rate: Int
        if index == 15 {
            rate = try r.int(24)
        } else {
            guard index < Self.sampleRates.count else {
                throw MediaError("AudioSpecificConfig", "reserved sampling frequency index \(index)")
            }
            rate = Self.sampleRates[index]
        }
        let channels = try r.int(4)
        self.objectType = type
        self.frequencyIndex = index
        self.sampleRate = rate
        self.channelConfiguration = channels
        self.bytes = bytes
    }
}
