/// The st_ref_pic_set() structures of an H.265 SPS (7.3.7), read only to get past them to the VUI.
///
/// A set predicted from an earlier one (inter_ref_pic_set_prediction_flag) has one flag per picture of the set
/// it is predicted from, so the reader keeps each set's delta POCs: at most 64 sets of at most 32 entries.
struct H265ShortTermRefPicSets {
    private static let what = "H.265 st_ref_pic_set"
    /// Largest number of pictures in one set: 16 before and 16 after the current picture (A.4.2 bounds the
    /// decoded picture buffer at 16).
    private static let maxPictures = 32

    /// Delta POCs of each set read so far, in the order 7.4.8 derives them.
    private var deltaPOCs: [[Int]] = []

    /// Reads the SPS's num_short_term_ref_pic_sets sets.
    static func skip(_ count: Int, in r: inout BitReader) throws {
        var sets = H265ShortTermRefPicSets()
        sets.deltaPOCs.reserveCapacity(count)
        for index in 0..<count { try sets.read(index, &r) }
    }

    private mutating func read(_ index: Int, _ r: inout BitReader) throws {
        let what = Self.what
        if index > 0, try r.bit() {  // inter_ref_pic_set_prediction_flag
            // In an SPS delta_idx_minus1 is absent and inferred 0: the reference is the previous set.
            let reference = deltaPOCs[index - 1]
            let sign = try r.bit() ? -1 : 1
            let deltaRps = sign * (1 + (try r.ue("abs_delta_rps_minus1", in: 0...32767, of: what)))
            var set: [Int] = []
            // One flag pair per picture of the reference set, then one for the reference picture itself.
            for j in 0...reference.count {
                let used = try r.bit()
                let useDelta = used ? true : try r.bit()
                let dPoc = j < reference.count ? reference[j] + deltaRps : deltaRps
                if useDelta && dPoc != 0 { set.append(dPoc) }
            }
            guard set.count <= Self.maxPictures else {
                throw MediaError(what, "set \(index) predicts \(set.count) pictures, more than \(Self.maxPictures)")
            }
            deltaPOCs.append(set)
        } else {
            let negative = try r.ue("num_negative_pics", in: 0...16, of: what)
            let positive = try r.ue("num_positive_pics", in: 0...16, of: what)
            var set: [Int] = []
            set.reserveCapacity(negative + positive)
            var poc = 0
            for _ in 0..<negative {
                poc -= 1 + (try r.ue("delta_poc_s0_minus1", in: 0...32767, of: what))
                try r.skip(1)  // used_by_curr_pic_s0_flag
                set.append(poc)
            }
            poc = 0
            for _ in 0..<positive {
                poc += 1 + (try r.ue("delta_poc_s1_minus1", in: 0...32767, of: what))
                try r.skip(1)  // used_by_curr_pic_s1_flag
                set.append(poc)
            }
            deltaPOCs.append(set)
        }
    }
}
