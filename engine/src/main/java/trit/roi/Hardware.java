package trit.roi;

import java.util.Locale;
import trit.TritException;

/**
 * What an hour of the machine costs: rented on demand ({@code pricePerHour}), or owned (purchase price
 * spread evenly over the amortization period, plus its power draw at an electricity price).
 */
public record Hardware(String name, Double pricePerHour, Double purchasePrice, Double amortizationYears,
                       Double powerWatts, Double pricePerKwh, String source) {
    /** Hours in an amortization year: the machine is paid for whether it is busy or not. */
    public static final double HOURS_PER_YEAR = 8760;

    public Hardware {
        if (pricePerHour == null && (purchasePrice == null || amortizationYears == null)) {
            throw new TritException("hardware needs price_per_hour, or purchase_price and amortization_years");
        }
    }

    public static Hardware onDemand(String name, double pricePerHour, String source) {
        return new Hardware(name, pricePerHour, null, null, null, null, source);
    }

    public boolean owned() {
        return pricePerHour == null;
    }

    /** Rent per hour, or the purchase price per hour of the amortization period. */
    public double capitalPerHour() {
        return owned() ? purchasePrice / (amortizationYears * HOURS_PER_YEAR) : pricePerHour;
    }

    /** Electricity per hour at the stated power draw (owned hardware; rent includes it). */
    public double energyPerHour() {
        return owned() && powerWatts != null ? powerWatts / 1000 * pricePerKwh : 0;
    }

    public double costPerHour() {
        return capitalPerHour() + energyPerHour();
    }

    /** The same machine with every price multiplied by {@code f}. */
    public Hardware priced(double f) {
        return new Hardware(name, pricePerHour == null ? null : pricePerHour * f, purchasePrice == null ? null : purchasePrice * f,
                amortizationYears, powerWatts, pricePerKwh == null ? null : pricePerKwh * f, source);
    }

    /** How the hourly cost was made, with its inputs. */
    public String basis() {
        if (!owned()) return String.format(Locale.ROOT, "%s on demand at $%.4f/hour (%s)", name, pricePerHour, source);
        String energy = powerWatts == null ? "no power cost stated"
                : String.format(Locale.ROOT, "%.0f W at $%.3f/kWh = $%.4f/hour (estimated from the stated draw)", powerWatts,
                pricePerKwh, energyPerHour());
        return String.format(Locale.ROOT, "%s bought for $%.0f over %.1f years = $%.4f/hour, plus %s (%s)", name,
                purchasePrice, amortizationYears, capitalPerHour(), energy, source);
    }

    static Hardware from(Fields f) {
        String name = f.string("name", "machine");
        String source = f.string("source", "stated");
        Double perHour = f.optPositive("price_per_hour");
        Double purchase = f.optPositive("purchase_price");
        if (perHour != null && purchase != null) {
            throw new TritException(f.name("price_per_hour") + " and " + f.name("purchase_price") + " exclude each other: give one");
        }
        if (perHour != null) return new Hardware(name, perHour, null, null, null, null, source);
        if (purchase == null) {
            throw new TritException("missing field " + f.name("price_per_hour") + " (or " + f.name("purchase_price") + " with "
                    + f.name("amortization_years") + ")");
        }
        double years = f.positive("amortization_years");
        Double watts = f.optPositive("power_watts");
        Double kwh = f.optPositive("price_per_kwh");
        if (watts != null && kwh == null) throw f.missing("price_per_kwh");
        if (kwh != null && watts == null) throw f.missing("power_watts");
        return new Hardware(name, null, purchase, years, watts, kwh, source);
    }
}
