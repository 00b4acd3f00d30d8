package io.refundguard.cli.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A simulated population of buyers and merchants on four platforms, their refund requests over a
 * period, and fraud of every pattern planted among them with its ground truth ({@link Label}).
 *
 * <p>What is simulated: platform shares; buyers with accounts on one to three platforms, most
 * filing one to three requests and a long tail of heavy returners (requests per buyer follow a
 * Lomax distribution scaled to {@code requests / persons}); merchants whose sizes and product
 * counts follow a Zipf-Mandelbrot law; a daily cycle with a night trough and an evening peak;
 * follow-ups (the platform's decision, sometimes an outcome); redelivered events and events
 * arriving seconds late. Honest buyers file at most two refund-only requests in the period, so
 * only planted cases cross the pattern thresholds.
 *
 * <p>Everything here is drawn from one seeded generator in a fixed order, and photo fingerprints
 * come from a {@link PhotoSource} by photo id; so a seed gives the same traffic, and the same
 * requests with any number of photos per request (0 included).
 */
public final class SimulatedTraffic {
    static final String[] PLATFORMS = {"tb", "jd", "pdd", "dy"};
    /** Shares of refund traffic by platform. */
    private static final double[] PLATFORM_SHARES = {0.38, 0.22, 0.27, 0.13};
    static final long SECOND = 1_000;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    private static final long CHINA_OFFSET = 8 * HOUR;
    /** Relative traffic by local hour (UTC+8): a night trough, a lunch bump, an evening peak. */
    private static final double[] BY_HOUR = {
        0.90, 0.55, 0.30, 0.20, 0.15, 0.15, 0.25, 0.45, 0.70, 0.90, 1.00, 1.05,
        1.15, 1.05, 1.00, 1.00, 1.00, 1.05, 1.15, 1.40, 1.75, 1.95, 1.80, 1.30};
    private static final double BUSIEST_HOUR = 1.95;
    /** Lomax shape of requests per ordinary buyer: a long tail of heavy returners. */
    private static final double TAIL_SHAPE = 1.8;
    private static final int MAX_REQUESTS_PER_BUYER = 150;
    /** Share of an ordinary buyer's requests that are refund-only (no return), before the cap. */
    private static final double REFUND_ONLY_SHARE = 0.45;
    /** Zipf-Mandelbrot offset of merchant sizes: the biggest shops are big, not a monopoly. */
    private static final double MERCHANT_OFFSET = 30;
    private static final int PRODUCTS_OF_BIGGEST = 60;
    /** Merchants per daily request, so a merchant's hourly volume does not depend on the scale. */
    private static final double MERCHANTS_PER_DAILY_REQUEST = 4;
    /** Product ids of one merchant fit below this, for listing photo ids. */
    private static final int MAX_PRODUCTS = 4096;

    /** What to generate. */
    public record Settings(long seed, int persons, int requests, int days, long start, int photosPerRequest) {
        public Settings {
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1");
            }
            if (photosPerRequest < 0) {
                throw new IllegalArgumentException("--photos-per-request must be 0 or more");
            }
        }

        public long end() {
            return start + days * DAY;
        }
    }

    /** What was generated, for the summary. */
    public record Counts(int persons, int requests, int refundOnly, int decisions, int outcomes, int redelivered,
            int lateWithinTolerance, int lateBeyondTolerance, int evidencePhotos, int listings, int merchants,
            int[] requestsByPlatform) {
        public int records() {
            return requests + decisions + outcomes + redelivered;
        }
    }

    final Settings settings;
    final Thresholds thresholds;
    final PhotoSource photos;
    private final SplittableRandom random;
    private final long period;
    final List<Person> persons = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();
    final List<Merchant> merchants = new ArrayList<>();
    private final Merchant[][] merchantsByPlatform = new Merchant[PLATFORMS.length][];
    private final double[][] merchantCumulative = new double[PLATFORMS.length][];
    private final List<Label> labels = new ArrayList<>();
    private final List<Label> imageLabels = new ArrayList<>();
    /** Listing photos planted evidence was made from; near-misses keep off them. */
    private final Set<Long> plantedListings = new HashSet<>();
    private Event[] arrivals;
    private long[] catalog;
    private long hashSequence;
    private long plantedPhotoSequence;
    private int eventSequence;
    private Counts counts;

    private SimulatedTraffic(Settings settings, Thresholds thresholds, PhotoSource photos) {
        this.settings = settings;
        this.thresholds = thresholds;
        this.photos = photos;
        this.random = new SplittableRandom(settings.seed());
        this.period = settings.days() * DAY;
    }

    /**
     * Builds the whole period in memory (about 100 bytes per request; JSON is made only while
     * writing).
     *
     * @throws IllegalArgumentException when the persons or requests are too few for the planted cases
     */
    public static SimulatedTraffic generate(Settings settings, Thresholds thresholds, PhotoSource photos) {
        SimulatedTraffic traffic = new SimulatedTraffic(settings, thresholds, photos);
        traffic.build();
        return traffic;
    }

    /** The smallest population that holds every planted case. */
    public static final int MIN_PERSONS = 200;

    private void build() {
        if (settings.persons() < MIN_PERSONS) {
            throw new IllegalArgumentException("--persons must be at least " + MIN_PERSONS
                    + " to plant every pattern, got " + settings.persons());
        }
        merchants();
        int plantedRequests = plantFraud() + plantNearMisses();
        int ordinary = settings.persons() - persons.size();
        int budget = settings.requests() - plantedRequests;
        if (ordinary < 1 || budget < ordinary) {
            throw new IllegalArgumentException("--requests must be at least " + (plantedRequests + Math.max(ordinary, 1))
                    + " for " + settings.persons() + " persons (every person files at least one; the planted cases take "
                    + plantedRequests + " requests from " + persons.size() + " persons), got " + settings.requests());
        }
        int firstOrdinary = persons.size();
        long steadyHours = steadyMerchantHours();
        // One request per customer at most, from the budget left once every buyer has one.
        int steady = (int) Math.min(Math.min(budget - ordinary, ordinary),
                Math.round(steadyMerchantPerHour() * steadyHours));
        ordinaryBuyers(ordinary, budget - steady);
        steadyMerchant(firstOrdinary, steady);
        photoNearMisses();
        catalog = listingsOfRequestedProducts();
        arrivals = schedule();
    }

    // ---------------------------------------------------------------------------------------
    // The world: merchants and persons

    private void merchants() {
        int total = (int) Math.max(200, Math.min(400_000,
                Math.round(settings.requests() / (double) settings.days() * MERCHANTS_PER_DAILY_REQUEST)));
        for (int p = 0; p < PLATFORMS.length; p++) {
            int count = (int) Math.max(20, Math.round(total * PLATFORM_SHARES[p]));
            Merchant[] list = new Merchant[count];
            double[] cumulative = new double[count];
            double sum = 0;
            for (int rank = 0; rank < count; rank++) {
                int products = (int) Math.max(1, Math.round(PRODUCTS_OF_BIGGEST / (1 + rank / 40.0)));
                list[rank] = newMerchant(p, products);
                sum += 1 / (rank + MERCHANT_OFFSET);
                cumulative[rank] = sum;
            }
            merchantsByPlatform[p] = list;
            merchantCumulative[p] = cumulative;
        }
    }

    private Merchant newMerchant(int platform, int products) {
        Merchant merchant = new Merchant(merchants.size(), platform, products, random.nextInt(10) < 6);
        merchants.add(merchant);
        return merchant;
    }

    private Merchant pickMerchant(int platform) {
        double[] cumulative = merchantCumulative[platform];
        int i = Arrays.binarySearch(cumulative, random.nextDouble() * cumulative[cumulative.length - 1]);
        return merchantsByPlatform[platform][i >= 0 ? i : Math.min(-i - 1, cumulative.length - 1)];
    }

    /** A product of the merchant, popular ones more often (Zipf, exponent 1). */
    private int pickProduct(Merchant merchant) {
        int n = merchant.products;
        int product = (int) Math.floor(Math.exp(random.nextDouble() * Math.log(n + 1))) - 1;
        return Math.min(Math.max(product, 0), n - 1);
    }

    private int pickPlatform() {
        double roll = random.nextDouble();
        for (int p = 0; p < PLATFORMS.length - 1; p++) {
            roll -= PLATFORM_SHARES[p];
            if (roll < 0) {
                return p;
            }
        }
        return PLATFORMS.length - 1;
    }

    private Person newPerson(boolean withIdentity, int platformCount) {
        int[] platforms = new int[platformCount];
        for (int i = 0; i < platformCount; i++) {
            int p;
            do {
                p = pickPlatform();
            } while (contains(platforms, i, p));
            platforms[i] = p;
        }
        Person person = new Person(persons.size(), withIdentity ? ++hashSequence : 0, platforms);
        person.device = random.nextInt(100) < 95 ? ++hashSequence : 0;
        person.payment = random.nextInt(100) < 80 ? ++hashSequence : 0;
        person.address = random.nextInt(100) < 85 ? ++hashSequence : 0;
        person.phone = random.nextInt(100) < 70 ? ++hashSequence : 0;
        person.accountCreatedAt = random.nextInt(10) < 9
                ? settings.start() - (30 + random.nextInt(3000)) * DAY - random.nextLong(DAY)
                : Long.MIN_VALUE;
        persons.add(person);
        return person;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private int platformCount() {
        int roll = random.nextInt(100);
        return roll < 70 ? 1 : roll < 92 ? 2 : 3;
    }

    // ---------------------------------------------------------------------------------------
    // Requests and times

    private Request request(Person person, int platform, Merchant merchant, int product, long at, boolean refundOnly,
            long amountCents) {
        Request request = new Request(requests.size(), person, platform, merchant, product, at, refundOnly, amountCents,
                random.nextInt(refundOnly ? 4 : 3));
        requests.add(request);
        return request;
    }

    /** A request at one of the person's platforms' merchants, popular ones more often. */
    private Request requestAnywhere(Person person, long at, boolean refundOnly, long amountCents) {
        int platform = person.platforms[random.nextInt(person.platforms.length)];
        Merchant merchant = pickMerchant(platform);
        return request(person, platform, merchant, pickProduct(merchant), at, refundOnly, amountCents);
    }

    /** A time in {@code [from, to)}, following the daily cycle. */
    private long timeIn(long from, long to) {
        if (to <= from) {
            return from;
        }
        while (true) {
            long t = from + random.nextLong(to - from);
            if (random.nextDouble() * BUSIEST_HOUR < BY_HOUR[localHour(t)]) {
                return t;
            }
        }
    }

    static int localHour(long t) {
        return (int) Math.floorMod(Math.floorDiv(t + CHINA_OFFSET, HOUR), 24L);
    }

    /** Start of a span of {@code length} inside the period, at random. */
    private long spanStart(long length) {
        return settings.start() + random.nextLong(Math.max(1, period - length));
    }

    /** An ordinary amount: log-normal around 120 CNY. */
    private long amount() {
        double yuan = Math.exp(Math.log(120) + 0.9 * random.nextGaussian());
        return Math.round(Math.max(5, Math.min(8000, yuan)) * 100);
    }

    private long amountBetween(int minYuan, int maxYuan) {
        return minYuan * 100L + random.nextLong((maxYuan - minYuan) * 100L);
    }

    // ---------------------------------------------------------------------------------------
    // Planted fraud

    private int scaled(double perThousand) {
        return Math.max(1, (int) Math.round(settings.persons() * perThousand / 1000));
    }

    private int plantFraud() {
        int before = requests.size();
        for (int i = scaled(5); i > 0; i--) {
            serialRefunder();
        }
        for (int i = scaled(2); i > 0; i--) {
            confirmedFraudAboveTier();
        }
        for (int i = scaled(2); i > 0; i--) {
            selfReusedPhoto();
        }
        for (int i = scaled(1); i > 0; i--) {
            sharedPhoto();
        }
        for (int i = scaled(2); i > 0; i--) {
            doctoredListingPhoto();
        }
        for (int i = scaled(2); i > 0; i--) {
            generatedPhoto();
        }
        for (int i = scaled(0.5); i > 0; i--) {
            attributeRing();
        }
        for (int i = scaled(0.25); i > 0; i--) {
            merchantBurst();
        }
        return requests.size() - before;
    }

    /** Four to nine refund-only requests within 80 % of the window, on one to three platforms. */
    private void serialRefunder() {
        Person person = newPerson(true, 1 + random.nextInt(3));
        int min = thresholds.repeatMinRequests();
        int count = min + random.nextInt(6);
        long span = Math.min(thresholds.repeatWindow().toMillis() * 8 / 10, period * 9 / 10);
        long from = spanStart(span);
        List<Request> filed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            filed.add(planted(requestAnywhere(person, timeIn(from, from + span), true, amountBetween(60, 700))));
        }
        labels.add(new Label(Label.FRAUD, "REPEAT_REFUNDER", "IDENTITY", identityOf(person), keysOf(filed),
                count + " refund-only requests within " + days(span) + " days on " + person.platforms.length
                        + " platform(s)"));
    }

    /** Two or three large refund-only requests, each confirmed FRAUD later, together above the first tier. */
    private void confirmedFraudAboveTier() {
        Person person = newPerson(true, 1 + random.nextInt(2));
        int count = Math.max(1, Math.min(3, thresholds.repeatMinRequests() - 1));
        long each = thresholds.largeTierCents() * 11 / 10 / count + 100;
        long span = Math.min(thresholds.repeatWindow().toMillis() * 2, period * 7 / 10);
        long from = spanStart(span + period / 5);
        List<Request> filed = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < count; i++) {
            long amount = each + random.nextLong(Math.max(1, each / 4));
            Request request = planted(requestAnywhere(person, timeIn(from, from + span), true, amount));
            request.outcome = Outcome.FRAUD;
            filed.add(request);
            total += amount;
        }
        labels.add(new Label(Label.FRAUD, "AMOUNT_TIER", "IDENTITY", identityOf(person), keysOf(filed),
                count + " refund-only requests confirmed FRAUD, " + yuan(total) + " CNY in all"));
    }

    /** One person's photo on two requests for different orders: the same file, or saved again. */
    private void selfReusedPhoto() {
        Person person = newPerson(true, 1 + random.nextInt(2));
        long span = Math.min(20 * DAY, period * 8 / 10);
        long from = spanStart(span);
        long base = nextPlantedPhoto();
        Request first = planted(requestAnywhere(person, timeIn(from, from + span / 2), true, amountBetween(80, 900)));
        Request second = planted(requestAnywhere(person, timeIn(from + span / 2, from + span), true, amountBetween(80, 900)));
        first.evidence = Evidence.photo(base, -1, 0);
        boolean sameFile = random.nextBoolean();
        int bits = sameFile ? -1 : 2 + random.nextInt(10);
        second.evidence = Evidence.photo(base, bits, nextPlantedPhoto());
        imageLabels.add(new Label(Label.FRAUD, "IMAGE_REUSE", "IDENTITY", identityOf(person), keysOf(List.of(first, second)),
                sameFile ? "one photo file on two requests of one person" : "one photo, saved again ("
                        + bits + " PDQ bits apart), on two requests of one person"));
    }

    /** Two to four persons filing with one photo: a coordinated group. */
    private void sharedPhoto() {
        int members = 2 + random.nextInt(3);
        long span = Math.min(10 * DAY, period * 8 / 10);
        long from = spanStart(span);
        long base = nextPlantedPhoto();
        List<Request> filed = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Person person = newPerson(true, 1);
            Request request = planted(requestAnywhere(person, timeIn(from, from + span), true, amountBetween(50, 600)));
            request.evidence = i == 0 ? Evidence.photo(base, -1, 0)
                    : Evidence.photo(base, random.nextInt(3) == 0 ? -1 : random.nextInt(12), nextPlantedPhoto());
            filed.add(request);
        }
        imageLabels.add(new Label(Label.FRAUD, "IMAGE_REUSE", "IMAGE", null, keysOf(filed),
                "one photo on the requests of " + members + " persons"));
    }

    /** The merchant's own listing photo of the product, with damage painted on (PDQ within the radius). */
    private void doctoredListingPhoto() {
        Person person = newPerson(true, 1);
        Request request;
        do {
            request = requestAnywhere(person, timeIn(settings.start(), settings.end()), true, amountBetween(100, 900));
            if (plantedListings.add(listingKey(request.merchant, request.product))) {
                break;
            }
            requests.remove(requests.size() - 1);
        } while (true);
        planted(request);
        int bits = Math.max(0, Math.min(thresholds.imageRadius() - 6, 6 + random.nextInt(Math.max(1, thresholds.imageRadius() - 11))));
        request.evidence = Evidence.listing(request.merchant, request.product, bits, nextPlantedPhoto());
        if (random.nextBoolean()) {
            request.outcome = Outcome.FRAUD;
        }
        imageLabels.add(new Label(Label.FRAUD, "CATALOG_IMAGE_MATCH", "REQUEST", null, keysOf(List.of(request)),
                "the merchant's listing photo of the product, " + bits + " PDQ bits changed"));
    }

    /** A photo whose file says it was generated (GB 45438-2025 implicit label "1"). */
    private void generatedPhoto() {
        Person person = newPerson(true, 1);
        Request request = planted(requestAnywhere(person, timeIn(settings.start(), settings.end()), true, amountBetween(80, 900)));
        request.evidence = Evidence.generated(nextPlantedPhoto());
        imageLabels.add(new Label(Label.FRAUD, "AI_GENERATED_EVIDENCE", "REQUEST", null, keysOf(List.of(request)),
                "evidence photo with AIGC implicit label \"1\""));
    }

    /** Persons sharing one device, card or address, each filing one or two refund-only requests. */
    private void attributeRing() {
        int members = thresholds.ringMinPersons() + random.nextInt(4);
        String kind = thresholds.ringAttributes().get(random.nextInt(thresholds.ringAttributes().size()));
        long shared = ++hashSequence;
        long span = Math.min(thresholds.ringWindow().toMillis() * 2 / 3, period * 8 / 10);
        long from = spanStart(span);
        List<Request> filed = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Person person = newPerson(true, 1 + random.nextInt(2));
            person.share(kind, shared);
            for (int r = 1 + random.nextInt(2); r > 0; r--) {
                filed.add(planted(requestAnywhere(person, timeIn(from, from + span), true, amountBetween(50, 500))));
            }
        }
        labels.add(new Label(Label.FRAUD, "SHARED_ATTRIBUTE_RING", "ATTRIBUTE", kind + ":" + hashHex(shared),
                keysOf(filed), members + " persons sharing one " + kind + ", " + filed.size()
                        + " refund-only requests within " + days(span) + " days"));
    }

    /** New accounts, each filing one refund-only request against one small shop within the window. */
    private void merchantBurst() {
        int platform = pickPlatform();
        Merchant target = newMerchant(platform, 6);
        int members = thresholds.burstFloor() + 3 + random.nextInt(10);
        long span = thresholds.burstWindow().toMillis() * 7 / 10;
        long from = timeIn(settings.start(), settings.end() - span);
        List<Request> filed = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Person person = newPerson(true, 1);
            person.platforms[0] = platform;
            long at = from + random.nextLong(span);
            person.accountCreatedAt = at - HOUR - random.nextLong(5 * DAY);
            filed.add(planted(request(person, platform, target, random.nextInt(target.products), at, true,
                    amountBetween(40, 300))));
        }
        labels.add(new Label(Label.FRAUD, "MERCHANT_BURST", "MERCHANT", merchantKey(target), keysOf(filed),
                members + " new accounts filing refund-only requests against one small shop within "
                        + span / MINUTE + " minutes"));
    }

    // ---------------------------------------------------------------------------------------
    // Honest near-misses

    private int plantNearMisses() {
        int before = requests.size();
        for (int i = scaled(5); i > 0; i--) {
            justBelowRepeatRefunder();
        }
        for (int i = scaled(1); i > 0; i--) {
            household();
        }
        return requests.size() - before;
    }

    /** One refund-only request fewer than the rule needs, within the window, plus some returns. */
    private void justBelowRepeatRefunder() {
        Person person = newPerson(true, 1 + random.nextInt(2));
        int count = thresholds.repeatMinRequests() - 1;
        long span = Math.min(thresholds.repeatWindow().toMillis() * 8 / 10, period * 9 / 10);
        long from = spanStart(span);
        List<Request> filed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            filed.add(planted(requestAnywhere(person, timeIn(from, from + span), true, amount())));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            planted(requestAnywhere(person, timeIn(settings.start(), settings.end()), false, amount()));
        }
        labels.add(new Label(Label.HONEST, "REPEAT_REFUNDER", "IDENTITY", identityOf(person), keysOf(filed),
                count + " refund-only requests within " + days(span) + " days: one fewer than the rule"));
    }

    /** A household one person short of a ring, sharing an address. */
    private void household() {
        int members = thresholds.ringMinPersons() - 1;
        long address = ++hashSequence;
        long span = Math.min(thresholds.ringWindow().toMillis() * 2 / 3, period * 8 / 10);
        long from = spanStart(span);
        List<Request> filed = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            Person person = newPerson(true, 1 + random.nextInt(2));
            person.address = address;
            for (int r = 1 + random.nextInt(2); r > 0; r--) {
                filed.add(planted(requestAnywhere(person, timeIn(from, from + span), true, amount())));
            }
        }
        labels.add(new Label(Label.HONEST, "SHARED_ATTRIBUTE_RING", "ATTRIBUTE", "address:" + hashHex(address),
                keysOf(filed), "a household of " + members + " at one address, " + filed.size()
                        + " refund-only requests: one person fewer than a ring"));
    }

    // ---------------------------------------------------------------------------------------
    // Ordinary buyers

    private void ordinaryBuyers(int count, int budget) {
        int[] perPerson = requestsPerPerson(count, budget);
        long window = thresholds.repeatWindow().toMillis();
        // An honest buyer keeps at least two below the rule in every window, so that only the
        // planted near-misses come within one request of it.
        int mostInWindow = Math.max(0, thresholds.repeatMinRequests() - 2);
        for (int i = 0; i < count; i++) {
            Person person = newPerson(random.nextInt(100) < 92, platformCount());
            int n = perPerson[i];
            long[] times = new long[n];
            for (int r = 0; r < n; r++) {
                times[r] = timeIn(settings.start(), settings.end());
            }
            Arrays.sort(times);
            double refundOnlyShare = REFUND_ONLY_SHARE * (0.5 + random.nextDouble());
            int refundOnly = 0;
            for (int r = 0; r < n; r++) {
                boolean wanted = random.nextDouble() < refundOnlyShare;
                if (wanted && refundOnlyWithin(requests.size() - r, r, times[r] - window) < mostInWindow) {
                    requestAnywhere(person, times[r], true, amount());
                    refundOnly++;
                } else {
                    requestAnywhere(person, times[r], false, amount());
                }
            }
            // Returns never count toward REPEAT_REFUNDER: many of them is honest behaviour.
            if (n - refundOnly >= 2 * thresholds.repeatMinRequests() && person.identity != 0) {
                List<Request> filed = requests.subList(requests.size() - n, requests.size());
                labels.add(new Label(Label.HONEST, "REPEAT_REFUNDER", "IDENTITY", identityOf(person), keysOf(filed),
                        "heavy returner: " + (n - refundOnly) + " return-and-refund requests, " + refundOnly
                                + " refund-only"));
            }
        }
    }

    /** Refund-only requests among the {@code count} requests from {@code from} on, after {@code after}. */
    private int refundOnlyWithin(int from, int count, long after) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            Request r = requests.get(i);
            if (r.refundOnly && r.at > after) {
                n++;
            }
        }
        return n;
    }

    /** At least one each, a long tail, summing to exactly {@code budget}. */
    private int[] requestsPerPerson(int count, int budget) {
        double mean = budget / (double) count;
        double scale = (mean - 1) * (TAIL_SHAPE - 1);
        int[] n = new int[count];
        long sum = 0;
        for (int i = 0; i < count; i++) {
            double lomax = Math.pow(1 - random.nextDouble(), -1 / TAIL_SHAPE) - 1;
            n[i] = (int) Math.min(MAX_REQUESTS_PER_BUYER, 1 + Math.floor(lomax * scale + random.nextDouble()));
            sum += n[i];
        }
        while (sum < budget) {
            int i = random.nextInt(count);
            if (n[i] < MAX_REQUESTS_PER_BUYER) {
                n[i]++;
                sum++;
            }
        }
        while (sum > budget) {
            int i = random.nextInt(count);
            if (n[i] > 1) {
                n[i]--;
                sum--;
            }
        }
        return n;
    }

    /**
     * How fast the steady merchant's volume may grow, in requests per hour per hour. The burst
     * baseline is an EWMA that lags about half its span behind (36 hours by default) and dips
     * every night; an evening two-hour window holds about 4.2 times the hourly mean. Growing by
     * at most a sixteenth of the floor per hour of lag keeps every window below the floor until
     * the baseline has caught up, and below five times the baseline after.
     */
    private double steadyMerchantGrowth() {
        return thresholds.burstFloor() / (16.0 * thresholds.burstBaselineLag().toMillis() / HOUR);
    }

    /** How long its volume grows: to 40 % of the floor per hour, or over half the period if shorter. */
    private long steadyMerchantRamp() {
        double hours = thresholds.burstFloor() / 2.5 / steadyMerchantGrowth();
        return Math.min(Math.round(hours * HOUR), period / 2);
    }

    /** Refund-only requests per hour it grows to: its busy evening windows then pass the floor. */
    private double steadyMerchantPerHour() {
        return steadyMerchantGrowth() * steadyMerchantRamp() / HOUR;
    }

    /** Hours of full volume the ramped volume amounts to. */
    private long steadyMerchantHours() {
        return (period - steadyMerchantRamp() / 2) / HOUR;
    }

    /**
     * A shop whose refund-only volume grows over the first days to about half the burst floor per
     * hour and stays there: well above the floor in a busy window, but its own baseline grows with
     * it, so it never bursts. Each request is one more refund-only request of an ordinary buyer
     * (at most one each), who therefore stays below REPEAT_REFUNDER.
     */
    private void steadyMerchant(int firstOrdinary, int count) {
        int platform = 0;
        Merchant steady = newMerchant(platform, 400);
        long ramp = Math.max(1, steadyMerchantRamp());
        int[] customers = new int[persons.size() - firstOrdinary];
        for (int i = 0; i < customers.length; i++) {
            customers[i] = firstOrdinary + i;
        }
        List<Request> filed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // A partial shuffle: each customer once.
            int j = i + random.nextInt(customers.length - i);
            int customer = customers[j];
            customers[j] = customers[i];
            long at;
            do {
                at = timeIn(settings.start(), settings.end());
            } while (random.nextDouble() * ramp > at - settings.start());
            Request request = request(persons.get(customer), platform, steady, pickProduct(steady), at, true, amount());
            filed.add(planted(request));
        }
        filed.sort(Comparator.comparingLong((Request r) -> r.at).thenComparingInt(r -> r.seq));
        int busiest = mostDistinctPersonsWithin(filed, thresholds.burstWindow().toMillis());
        labels.add(new Label(Label.HONEST, "MERCHANT_BURST", "MERCHANT", merchantKey(steady), List.of(),
                "steady high volume: " + filed.size() + " refund-only requests, up to " + busiest
                        + " distinct persons within " + thresholds.burstWindow().toMinutes()
                        + " minutes (floor " + thresholds.burstFloor() + "), growing over the first "
                        + Math.round(ramp / (double) HOUR) + " hours"));
    }

    static int mostDistinctPersonsWithin(List<Request> sorted, long window) {
        Map<Person, Integer> inWindow = new HashMap<>();
        int best = 0;
        int tail = 0;
        for (Request r : sorted) {
            inWindow.merge(r.person, 1, Integer::sum);
            while (sorted.get(tail).at <= r.at - window) {
                inWindow.computeIfPresent(sorted.get(tail++).person, (p, n) -> n == 1 ? null : n - 1);
            }
            best = Math.max(best, inWindow.size());
        }
        return best;
    }

    /** Honest photos that resemble the product's listing photo, but beyond the radius. */
    private void photoNearMisses() {
        int wanted = scaled(2);
        int tries = 0;
        while (wanted > 0 && tries++ < 100 * scaled(2)) {
            Request r = requests.get(random.nextInt(requests.size()));
            if (r.planted || !plantedListings.add(listingKey(r.merchant, r.product))) {
                continue;
            }
            int bits = thresholds.imageRadius() + 9;
            r.evidence = Evidence.listing(r.merchant, r.product, bits, nextPlantedPhoto());
            r.planted = true;
            imageLabels.add(new Label(Label.HONEST, "CATALOG_IMAGE_MATCH", "REQUEST", null, keysOf(List.of(r)),
                    "a photo " + bits + " PDQ bits from the product's listing photo (radius "
                            + thresholds.imageRadius() + ")"));
            wanted--;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Listings, follow-ups, arrival order

    private long[] listingsOfRequestedProducts() {
        Set<Long> keys = new HashSet<>();
        for (Request r : requests) {
            keys.add(listingKey(r.merchant, r.product));
        }
        long[] sorted = keys.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    static long listingKey(Merchant merchant, int product) {
        return (long) merchant.index * MAX_PRODUCTS + product;
    }

    private Event[] schedule() {
        List<Event> events = new ArrayList<>(requests.size() * 2);
        long end = settings.end();
        for (Request r : requests) {
            events.add(new Event(++eventSequence, EventKind.REQUESTED, r.at, r));
            if (random.nextInt(100) < 92) {
                long decidedAt = r.at + Math.max(5 * MINUTE,
                        Math.min(3 * DAY, (long) (2 * HOUR * Math.exp(1.2 * random.nextGaussian()))));
                if (decidedAt < end) {
                    Event decided = new Event(++eventSequence, EventKind.DECIDED, decidedAt, r);
                    int roll = random.nextInt(100);
                    decided.detail = roll < 60 ? Event.APPROVED_AUTOMATICALLY : roll < 85 ? Event.APPROVED : Event.REJECTED;
                    events.add(decided);
                }
            }
            Outcome outcome = r.outcome;
            if (outcome == null && !r.planted && random.nextInt(100) < 3) {
                outcome = Outcome.LEGITIMATE;
            }
            if (outcome != null) {
                long room = end - r.at;
                long outcomeAt = r.at + Math.min(room * 9 / 10, 2 * DAY + random.nextLong(18 * DAY));
                if (outcomeAt > r.at && outcomeAt < end) {
                    Event decided = new Event(++eventSequence, EventKind.OUTCOME, outcomeAt, r);
                    decided.detail = outcome == Outcome.FRAUD ? Event.FRAUD : Event.LEGITIMATE;
                    events.add(decided);
                }
            }
        }
        long tolerance = thresholds.outOfOrderness().toMillis();
        List<Event> copies = new ArrayList<>();
        for (Event e : events) {
            e.arrival = e.at;
            int roll = random.nextInt(1000);
            if (roll < 20 && tolerance > 0) {
                e.arrival += 200 + random.nextLong(Math.max(1, tolerance * 9 / 10 - 200));
                e.lateness = 1;
            } else if (roll < 22 && !e.request.planted) {
                // Late beyond what the watermark waits for: processed on arrival, not in order.
                e.arrival += tolerance + 3 * SECOND + random.nextLong(90 * SECOND);
                e.lateness = 2;
            }
            if (random.nextInt(100) < 2) {
                Event copy = new Event(e.sequence, e.kind, e.at, e.request);
                copy.detail = e.detail;
                copy.arrival = e.arrival + 50 + random.nextLong(20 * SECOND);
                copy.redelivery = true;
                copies.add(copy);
            }
        }
        events.addAll(copies);
        Event[] sorted = events.toArray(new Event[0]);
        Arrays.sort(sorted, SimulatedTraffic::byArrival);
        return sorted;
    }

    /** Arrival order: by arrival time, then creation, an original before its copy. */
    private static int byArrival(Event a, Event b) {
        int c = Long.compare(a.arrival, b.arrival);
        if (c == 0) {
            c = Integer.compare(a.sequence, b.sequence);
        }
        return c != 0 ? c : Boolean.compare(a.redelivery, b.redelivery);
    }

    // ---------------------------------------------------------------------------------------
    // Small helpers

    private Request planted(Request request) {
        request.planted = true;
        return request;
    }

    private long nextPlantedPhoto() {
        return ++plantedPhotoSequence;
    }

    String identityOf(Person person) {
        return person.identity == 0 ? null : hashHex(person.identity);
    }

    /** A consortium-HMAC-like 64-hex value for a number, fixed by the seed. */
    String hashHex(long number) {
        return Ids.hex256(settings.seed(), number);
    }

    /** The MERCHANT subject of a merchant's bursts: its identity hash when it sends one, else its shop. */
    String merchantKey(Merchant merchant) {
        return merchant.withIdentityHash
                ? merchantIdentityHash(merchant)
                : "merchant:" + PLATFORMS[merchant.platform] + ":" + merchant.id();
    }

    String merchantIdentityHash(Merchant merchant) {
        return hashHex(-1 - merchant.index);
    }

    private static List<String> keysOf(List<Request> filed) {
        List<String> keys = new ArrayList<>(filed.size());
        for (Request r : filed) {
            keys.add(r.key());
        }
        return keys;
    }

    private static String days(long millis) {
        return Long.toString(Math.round(millis / (double) DAY));
    }

    private static String yuan(long cents) {
        return java.math.BigDecimal.valueOf(cents, 2).toPlainString();
    }

    // ---------------------------------------------------------------------------------------
    // Results

    /** Platform codes, in the order of {@link Counts#requestsByPlatform()}. */
    public static List<String> platforms() {
        return List.of(PLATFORMS);
    }

    static int productOfListing(long key) {
        return (int) (key % MAX_PRODUCTS);
    }

    /** Ground truth: planted fraud and honest near-misses; image cases only when requests carry photos. */
    public List<Label> labels() {
        List<Label> all = new ArrayList<>(labels);
        if (settings.photosPerRequest() > 0) {
            all.addAll(imageLabels);
        }
        return all;
    }

    /** Records {@link TrafficWriter#writeEvents} writes: requests, follow-ups, redelivered copies. */
    public int eventCount() {
        return arrivals.length;
    }

    Event[] arrivals() {
        return arrivals;
    }

    long[] catalogKeys() {
        return catalog;
    }

    Merchant merchantOfListing(long key) {
        return merchants.get((int) (key / MAX_PRODUCTS));
    }

    public Counts counts() {
        if (counts == null) {
            int refundOnly = 0;
            int[] byPlatform = new int[PLATFORMS.length];
            for (Request r : requests) {
                refundOnly += r.refundOnly ? 1 : 0;
                byPlatform[r.platform]++;
            }
            int decisions = 0;
            int outcomes = 0;
            int copies = 0;
            int lateWithin = 0;
            int lateBeyond = 0;
            for (Event e : arrivals) {
                if (e.redelivery) {
                    copies++;
                    continue;
                }
                decisions += e.kind == EventKind.DECIDED ? 1 : 0;
                outcomes += e.kind == EventKind.OUTCOME ? 1 : 0;
                lateWithin += e.lateness == 1 ? 1 : 0;
                lateBeyond += e.lateness == 2 ? 1 : 0;
            }
            counts = new Counts(persons.size(), requests.size(), refundOnly, decisions, outcomes, copies, lateWithin,
                    lateBeyond, requests.size() * settings.photosPerRequest(), catalog.length, merchants.size(),
                    byPlatform);
        }
        return counts;
    }

    // ---------------------------------------------------------------------------------------
    // The model's records

    static final class Person {
        final int index;
        /** Number behind the identity hash; 0: no identity hash, a platform-local person. */
        final long identity;
        final int[] platforms;
        long device;
        long payment;
        long address;
        long phone;
        long accountCreatedAt;

        Person(int index, long identity, int[] platforms) {
            this.index = index;
            this.identity = identity;
            this.platforms = platforms;
        }

        void share(String kind, long hash) {
            switch (kind) {
                case "device" -> device = hash;
                case "payment" -> payment = hash;
                case "address" -> address = hash;
                case "phone" -> phone = hash;
                default -> throw new IllegalArgumentException("unknown link attribute " + kind);
            }
        }

        String accountId(int platform) {
            return switch (platform) {
                case 0 -> "tb_u_" + (7_000_000 + index);
                case 1 -> "jd_" + (88_000_000 + index);
                case 2 -> "pdd_u_" + (5_500_000 + index);
                default -> "dy_" + (3_100_000 + index);
            };
        }
    }

    static final class Merchant {
        final int index;
        final int platform;
        final int products;
        final boolean withIdentityHash;

        Merchant(int index, int platform, int products, boolean withIdentityHash) {
            this.index = index;
            this.platform = platform;
            this.products = Math.min(products, MAX_PRODUCTS);
            this.withIdentityHash = withIdentityHash;
        }

        String id() {
            return "M-" + (1000 + index);
        }

        String productId(int product) {
            return "P-" + (1000 + index) + "-" + product;
        }
    }

    enum Outcome { FRAUD, LEGITIMATE }

    static final class Request {
        final int seq;
        final Person person;
        final int platform;
        Merchant merchant;
        int product;
        final long at;
        final boolean refundOnly;
        final long amountCents;
        final int reason;
        /** Part of a labelled case (or moved to the steady merchant): never delivered beyond the tolerance. */
        boolean planted;
        /** Planted evidence for the first photo, or null for photos of its own. */
        Evidence evidence;
        Outcome outcome;

        Request(int seq, Person person, int platform, Merchant merchant, int product, long at, boolean refundOnly,
                long amountCents, int reason) {
            this.seq = seq;
            this.person = person;
            this.platform = platform;
            this.merchant = merchant;
            this.product = product;
            this.at = at;
            this.refundOnly = refundOnly;
            this.amountCents = amountCents;
            this.reason = reason;
        }

        String requestId() {
            return switch (platform) {
                case 0 -> "T-" + (1_000_000 + seq);
                case 1 -> "J-" + (5_000_000 + seq);
                case 2 -> Long.toString(2_611_000_000_000L + seq);
                default -> "DY" + (70_000_000 + seq);
            };
        }

        String orderId() {
            return Long.toString(4_021_000_000_000L + seq * 7L);
        }

        String key() {
            return PLATFORMS[platform] + ":" + requestId();
        }
    }

    /**
     * Planted evidence: a copy or a new save of a base photo, an edit of a listing photo, or a
     * photo marked as generated.
     *
     * @param bits -1: the very same file; otherwise a new file this many PDQ bits from the base
     */
    record Evidence(long basePhoto, Merchant listingMerchant, int listingProduct, int bits, long photoId,
            boolean generated) {
        static Evidence photo(long basePhoto, int bits, long photoId) {
            return new Evidence(basePhoto, null, 0, bits, photoId, false);
        }

        static Evidence listing(Merchant merchant, int product, int bits, long photoId) {
            return new Evidence(0, merchant, product, bits, photoId, false);
        }

        static Evidence generated(long photoId) {
            return new Evidence(photoId, null, 0, -1, photoId, true);
        }
    }

    enum EventKind { REQUESTED, DECIDED, OUTCOME }

    static final class Event {
        static final int APPROVED_AUTOMATICALLY = 1;
        static final int APPROVED = 2;
        static final int REJECTED = 3;
        static final int FRAUD = 4;
        static final int LEGITIMATE = 5;

        final int sequence;
        final EventKind kind;
        final long at;
        final Request request;
        int detail;
        long arrival;
        /** 0 on time, 1 late within the out-of-orderness tolerance, 2 beyond it. */
        int lateness;
        boolean redelivery;

        Event(int sequence, EventKind kind, long at, Request request) {
            this.sequence = sequence;
            this.kind = kind;
            this.at = at;
            this.request = request;
        }
    }
}
