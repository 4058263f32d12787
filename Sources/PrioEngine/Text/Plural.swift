/// Counts as people write them: "1 story", "2 stories", "1 pt", "0.5 pts".
public enum Plural {
    /// `count` and the noun, singular for exactly one.
    public static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
    }

    /// Points with their unit: "1 pt", "3 pts", "7.5 pts".
    public static func points(_ value: Fraction) -> String {
        formatPoints(value) + (value == Fraction(1) ? " pt" : " pts")
    }

    /// Points with their unit, from a decimal: "1 pt", "13 pts".
    public static func points(_ value: DecimalNumber) -> String {
        points(value.fraction)
    }
}
