import Media

/// onMetaData for a stream's tracks, as players and servers expect it (codec ids, size, frame rate, audio format).
public enum RTMPMetadata {
    /// The properties of onMetaData for `tracks` (the first video and the first audio track).
    public static func properties(_ tracks: [Track]) -> [AMF0Property] {
        var properties: [AMF0Property] = []
        if let video = tracks.first(where: { $0.kind == .video }) {
            properties.append(AMF0Property("width", .number(Double(video.width))))
            properties.append(AMF0Property("height", .number(Double(video.height))))
            if let rate = video.frameRate { properties.append(AMF0Property("framerate", .number(rate))) }
            // H.264 is FLV codec 7; H.265 goes by its enhanced-RTMP FourCC 'hvc1' as a number.
            let codec: Double = video.codec == .h265 ? Double(0x6876_6331) : 7
            properties.append(AMF0Property("videocodecid", .number(codec)))
        }
        if let audio = tracks.first(where: { $0.kind == .audio }) {
            properties.append(AMF0Property("audiocodecid", .number(audio.codec == .mp3 ? 2 : 10)))
            properties.append(AMF0Property("audiosamplerate", .number(Double(audio.sampleRate))))
            properties.append(AMF0Property("audiochannels", .number(Double(audio.channels))))
            properties.append(AMF0Property("stereo", .boolean(audio.channels > 1)))
        }
        return properties
    }
}
