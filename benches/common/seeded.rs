//! The fixed-seed generator every bench draws its inputs from, so runs are
//! comparable: a 64-bit LCG (Knuth's MMIX constants), high bits used.

/// A fixed-seed sequence of numbers.
pub struct Seeded(u64);

impl Seeded {
    /// The sequence starting from `seed`.
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed)
    }

    /// The next number in `0..m`.
    pub fn below(&mut self, m: u64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % m) as i64
    }
}
