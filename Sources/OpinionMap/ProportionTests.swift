/// The small-sample statistics behind representative and consensus statements.
///
/// Every count gets a pseudo-count so that a statement seen by few people does not look certain:
/// probabilities add one success and two trials, the tests add one success and one trial.
public enum ProportionTests {
    /// The one-sided 90% critical value of the standard normal distribution: a z-score above it is
    /// "significant" for the opinion map.
    public static let significanceThreshold = 1.2816

    /// The smoothed probability `(successes + 1) / (trials + 2)`: with no data it is 1/2.
    public static func probability(successes: Int, trials: Int) -> Double {
        Double(successes + 1) / Double(trials + 2)
    }

    /// One-proportion z-test of "more than half": `2·√n′ · (s′/n′ − ½)` with `s′ = successes + 1`
    /// and `n′ = trials + 1`. Positive when most of the trials were successes.
    public static func oneProportionZ(successes: Int, trials: Int) -> Double {
        let s = Double(successes + 1)
        let n = Double(trials + 1)
        return 2 * n.squareRoot() * (s / n - 0.5)
    }

    /// Two-proportion pooled z-test of "the first proportion is higher than the second", each count
    /// smoothed by one: `(p₁ − p₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂))`, `pᵢ = (sᵢ + 1)/(nᵢ + 1)`,
    /// `p̂ = (s₁ + s₂ + 2)/(n₁ + n₂ + 2)`. It is 0 when the pooled proportion is 0 or 1.
    public static func twoProportionZ(successes: Int, trials: Int,
                                      otherSuccesses: Int, otherTrials: Int) -> Double {
        let s1 = Double(successes + 1), n1 = Double(trials + 1)
        let s2 = Double(otherSuccesses + 1), n2 = Double(otherTrials + 1)
        let pooled = (s1 + s2) / (n1 + n2)
        let variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        guard variance > 0 else { return 0 }
        return (s1 / n1 - s2 / n2) / variance.squareRoot()
    }

    /// Whether a z-score passes the opinion map's 90% one-sided test.
    public static func isSignificant(_ z: Double) -> Bool { z > significanceThreshold }
}
