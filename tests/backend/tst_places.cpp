// Tests the gazetteer and PlaceResolver: coordinates, names in any spelling, near misses, the free-text policies.
#include "backend/domain/Gazetteer.h"
#include "backend/domain/PlaceResolver.h"
#include "backend/domain/ServiceArea.h"

#include <QtTest>

#include <algorithm>
#include <set>

using namespace dd::domain;
using dronedelivery::v1::Location;

namespace {

PlaceResolver::Result resolve(const char *text, PlacePolicy policy = PlacePolicy::Lenient)
{
    return PlaceResolver::standard().resolve(text, "pickupLocation", policy);
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

QString describe(const PlaceResolver::Result &result)
{
    return QString::fromStdString(result.ok ? result.location.ShortDebugString() : result.error.message);
}

} // namespace

class TestPlaces : public QObject
{
    Q_OBJECT

private slots:
    void theGazetteerShipsTheCityInsideTheServiceArea()
    {
        const Gazetteer &seattle = Gazetteer::seattle();
        QVERIFY2(seattle.places().size() >= 50, "the resource is compiled in and read");
        for (const Place &place : seattle.places())
            QVERIFY2(ServiceArea::contains(place.latitude, place.longitude), place.name.c_str());
        // True coordinates, not hashed ones.
        const Place *pike = seattle.find(PlaceText::of("Pike Place Market").key);
        QVERIFY(pike);
        QVERIFY(near(pike->latitude, 47.6097) && near(pike->longitude, -122.3422));
        const Place *needle = seattle.find(PlaceText::of("Space Needle").key);
        QVERIFY(needle && near(needle->latitude, 47.6205) && near(needle->longitude, -122.3493));
    }

    void theTsvLeavesOutWhatItCannotUse()
    {
        std::vector<std::string> problems;
        const Gazetteer g
            = Gazetteer::fromTsv("# a comment\n"
                                 "Fremont\tThe Center of the Universe\t47.6510\t-122.3505\tneighbourhood\n"
                                 "Kirkland\t\t47.6769\t-122.2060\tneighbourhood\n"
                                 "Broken\t\tnorth\t-122.3\tlandmark\n"
                                 "Twin\tFremont\t47.60\t-122.33\tlandmark\n"
                                 "\n",
                &problems);
        QCOMPARE(g.places().size(), std::size_t(2)); // Fremont and Twin
        QVERIFY(g.find(PlaceText::of("the CENTER of the universe").key));
        QCOMPARE(g.find("fremont")->name, std::string("Fremont")); // the first keeps a shared name
        QVERIFY(!g.find("kirkland")); // 12.3 km out: no place of ours
        QCOMPARE(g.findOutside("kirkland")->name, std::string("Kirkland")); // but known
        QCOMPARE(problems.size(), std::size_t(2)); // Broken, and Twin's alias
    }

    void coordinatesAreTakenAsWritten_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("latitude");
        QTest::addColumn<double>("longitude");
        QTest::addColumn<double>("altitude");
        QTest::newRow("lat,lon") << "47.61,-122.33" << 47.61 << -122.33 << 0.0;
        QTest::newRow("spaces") << "  47.61 ,\t-122.33 " << 47.61 << -122.33 << 0.0;
        QTest::newRow("plus sign") << "+47.61,-122.33" << 47.61 << -122.33 << 0.0;
        QTest::newRow("no comma") << "47.61 -122.33" << 47.61 << -122.33 << 0.0;
        QTest::newRow("alt,lat,lon (the reference)") << "120, 47.6205, -122.3493" << 47.6205 << -122.3493 << 120.0;
    }

    void coordinatesAreTakenAsWritten()
    {
        QFETCH(QString, text);
        QFETCH(double, latitude);
        QFETCH(double, longitude);
        QFETCH(double, altitude);
        const auto r = resolve(text.toUtf8().constData());
        QVERIFY2(r.ok, qPrintable(describe(r)));
        QCOMPARE(r.location.latitude(), latitude);
        QCOMPARE(r.location.longitude(), longitude);
        QCOMPARE(r.location.altitude(), altitude);
        QVERIFY(r.location.place().empty());
        QVERIFY(!r.location.stand_in());
    }

    void badOrFarCoordinatesAreRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        const QString outside = "is outside the service area (12 km around downtown Seattle)";
        QTest::newRow("the Gulf of Guinea") << "0,0" << outside;
        QTest::newRow("Tacoma") << "47.2529,-122.4443" << outside;
        QTest::newRow("Kirkland, just out") << "47.6769,-122.2060" << outside;
        QTest::newRow("Kirkland by name") << "kirkland" << outside;
        QTest::newRow("the airport by alias") << "Sea-Tac" << outside;
        QTest::newRow("past the pole") << "91,-122.33"
                                       << "latitude must be within ±90";
        QTest::newRow("longitude out of range") << "47.6,-190"
                                                << "latitude must be within ±90";
        QTest::newRow("one number") << "47.61"
                                    << "must be \"lat,lon\"";
        QTest::newRow("four numbers") << "1,2,3,4"
                                      << "must be \"lat,lon\"";
        QTest::newRow("empty part") << "47.61,"
                                    << "must be \"lat,lon\"";
        QTest::newRow("overflow") << "1e999,-122.33"
                                  << "must be \"lat,lon\"";
    }

    void badOrFarCoordinatesAreRefused()
    {
        QFETCH(QString, text);
        QFETCH(QString, says);
        for (const PlacePolicy policy : {PlacePolicy::Lenient, PlacePolicy::Strict}) {
            const auto r = resolve(text.toUtf8().constData(), policy);
            QVERIFY2(!r.ok, qPrintable(describe(r)));
            QCOMPARE(r.error.field, std::string("pickupLocation"));
            QVERIFY2(QString::fromStdString(r.error.message).contains(says), r.error.message.c_str());
            QVERIFY(QString::fromStdString(r.error.message).startsWith("pickupLocation \"" + text.trimmed()));
        }
    }

    void namesAndAliasesMatchInAnySpelling_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("place");
        QTest::addColumn<double>("latitude");
        QTest::addColumn<double>("longitude");
        QTest::newRow("canonical") << "West Seattle"
                                   << "West Seattle" << 47.5612 << -122.3868;
        QTest::newRow("alias") << "Alaska Junction"
                               << "West Seattle" << 47.5612 << -122.3868;
        QTest::newRow("case and spaces") << "  pIKE   place MARKET "
                                         << "Pike Place Market" << 47.6097 << -122.3422;
        QTest::newRow("punctuation") << "t mobile park!"
                                     << "T-Mobile Park" << 47.5914 << -122.3325;
        QTest::newRow("no spaces") << "spaceneedle"
                                   << "Space Needle" << 47.6205 << -122.3493;
        QTest::newRow("accents") << "Frémont"
                                 << "Fremont" << 47.6510 << -122.3505;
        QTest::newRow("apostrophe") << "Fishermens Terminal"
                                    << "Fishermen's Terminal" << 47.6540 << -122.3800;
        QTest::newRow("dash") << "Chinatown – International District"
                              << "Chinatown-International District" << 47.5980 << -122.3240;
        QTest::newRow("short alias") << "u district"
                                     << "University District" << 47.6610 << -122.3130;
        QTest::newRow("the city") << "Seattle"
                                  << "Downtown Seattle" << 47.6062 << -122.3321;
    }

    void namesAndAliasesMatchInAnySpelling()
    {
        QFETCH(QString, text);
        QFETCH(QString, place);
        QFETCH(double, latitude);
        QFETCH(double, longitude);
        for (const PlacePolicy policy : {PlacePolicy::Lenient, PlacePolicy::Strict}) {
            const auto r = resolve(text.toUtf8().constData(), policy);
            QVERIFY2(r.ok, qPrintable(describe(r)));
            QCOMPARE(QString::fromStdString(r.location.place()), place);
            QVERIFY(near(r.location.latitude(), latitude) && near(r.location.longitude(), longitude));
            QVERIFY(!r.location.stand_in());
        }
    }

    void nearMissesAreRefusedWithSuggestions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("first");
        QTest::newRow("one typo") << "Fremnt"
                                  << "Fremont";
        QTest::newRow("two typos") << "Pike Plce Markt"
                                   << "Pike Place Market";
        QTest::newRow("a vowel") << "Capital Hill"
                                 << "Capitol Hill";
        QTest::newRow("word prefixes") << "pike pl"
                                       << "Pike Place Market";
        QTest::newRow("fewest words left over") << "capitol h"
                                                << "Capitol Hill";
        QTest::newRow("a prefix") << "Ballar"
                                  << "Ballard";
        QTest::newRow("run together") << "Gasworks"
                                      << "Gas Works Park";
        QTest::newRow("the name inside more text") << "near the Space Needle"
                                                   << "Space Needle";
    }

    void nearMissesAreRefusedWithSuggestions()
    {
        QFETCH(QString, text);
        QFETCH(QString, first);
        // Lenient too: a near miss is a typo, and a stand-in point would be far from what was meant.
        for (const PlacePolicy policy : {PlacePolicy::Lenient, PlacePolicy::Strict}) {
            const auto r = resolve(text.toUtf8().constData(), policy);
            QVERIFY2(!r.ok, qPrintable(describe(r)));
            QCOMPARE(r.error.field, std::string("pickupLocation"));
            QVERIFY(!r.error.suggestions.empty() && r.error.suggestions.size() <= PlaceResolver::kMaxSuggestions);
            QCOMPARE(QString::fromStdString(r.error.suggestions.front()), first);
            QVERIFY2(
                QString::fromStdString(r.error.message).startsWith("unknown place \"" + text + "\"; did you mean "),
                r.error.message.c_str());
        }
        QCOMPARE(resolve("Fremnt").error.message, std::string("unknown place \"Fremnt\"; did you mean Fremont?"));
    }

    void severalCandidatesAreListedBestFirst()
    {
        const auto r = resolve("queen");
        QVERIFY(!r.ok);
        QCOMPARE(r.error.suggestions.front(), std::string("Queen Anne")); // from its first word
        QVERIFY(std::find(r.error.suggestions.begin(), r.error.suggestions.end(), "Lower Queen Anne")
            != r.error.suggestions.end());
        QVERIFY(QString::fromStdString(r.error.message).contains(" or "));
        QVERIFY(resolve("park").error.suggestions.size() == PlaceResolver::kMaxSuggestions); // capped
    }

    void freeTextGetsAStableFlaggedStandInWhenLenient()
    {
        // The reference README's own payload: it must still be scheduled.
        const auto pickup = resolve("my pickup");
        const auto dropoff = resolve("drop off");
        QVERIFY2(pickup.ok, qPrintable(describe(pickup)));
        QVERIFY2(dropoff.ok, qPrintable(describe(dropoff)));
        for (const Location &l : {pickup.location, dropoff.location}) {
            QVERIFY(l.stand_in());
            QVERIFY(l.place().empty());
            QVERIFY(
                ServiceArea::metersFromCenter(l.latitude(), l.longitude()) <= 0.9 * ServiceArea::kRadiusMeters + 50);
        }
        QVERIFY(pickup.location.latitude() != dropoff.location.latitude());
        // Stable: the same normal form is the same point, in this run and the next (a hash of the key, not std::hash).
        const auto again = resolve("  My   PICKUP ");
        QCOMPARE(again.location.latitude(), pickup.location.latitude());
        QCOMPARE(again.location.longitude(), pickup.location.longitude());
        QCOMPARE(PlaceResolver::standIn("my pickup").SerializeAsString(), pickup.location.SerializeAsString());
        // Spread: many texts do not pile up on one point, and all stay inside.
        std::set<std::pair<double, double>> points;
        for (int i = 0; i < 200; ++i) {
            const Location l = PlaceResolver::standIn("customer " + std::to_string(i));
            QVERIFY(ServiceArea::contains(l.latitude(), l.longitude()));
            points.insert({l.latitude(), l.longitude()});
        }
        QCOMPARE(points.size(), std::size_t(200));
        const Location a = PlaceResolver::standIn("a"), x = PlaceResolver::standIn("x");
        QVERIFY(std::abs(a.latitude() - x.latitude()) + std::abs(a.longitude() - x.longitude()) > 0.01);
    }

    void strictRefusesFreeText()
    {
        const auto r = resolve("my pickup", PlacePolicy::Strict);
        QVERIFY(!r.ok);
        QCOMPARE(r.error.field, std::string("pickupLocation"));
        QVERIFY2(
            QString::fromStdString(r.error.message).startsWith("unknown place \"my pickup\""), r.error.message.c_str());
    }

    void emptyIsRequired()
    {
        for (const char *text : {"", "   ", "\t"}) {
            const auto r = resolve(text);
            QVERIFY(!r.ok);
            QCOMPARE(r.error.message, std::string("pickupLocation is required"));
            QCOMPARE(r.error.field, std::string("pickupLocation"));
        }
    }

    void storedTextIsLocatedWithoutFailing()
    {
        const PlaceResolver &resolver = PlaceResolver::standard();
        const Location pike = resolver.locate("Pike Place Market");
        QVERIFY(near(pike.latitude(), 47.6097) && near(pike.longitude(), -122.3422));
        const Location far = resolver.locate("0,0"); // accepted before the rules: kept, the fleet refuses it
        QCOMPARE(far.latitude(), 0.0);
        QVERIFY(resolver.locate("Fremnt").stand_in());
        QVERIFY(resolver.locate("").stand_in());
    }

    void theConsolePreviewSaysWhereItIs()
    {
        PlacePreview p = describePlace("west seattle");
        QVERIFY(p.ok);
        QCOMPARE(p.text, std::string("West Seattle · 47.5612, -122.3868"));
        p = describePlace("47.61,-122.33");
        QVERIFY(p.ok);
        QCOMPARE(p.text, std::string("47.6100, -122.3300"));
        p = describePlace("my pickup");
        QVERIFY(p.ok);
        QVERIFY(QString::fromStdString(p.text).startsWith("not a known place: stand-in point 47."));
        QVERIFY(!describePlace("my pickup", PlacePolicy::Strict).ok);
        p = describePlace("Fremnt");
        QVERIFY(!p.ok);
        QCOMPARE(p.suggestions, std::vector<std::string> {"Fremont"});
        QCOMPARE(p.text, std::string("unknown place \"Fremnt\"; did you mean Fremont?"));
        p = describePlace("0,0");
        QVERIFY(!p.ok);
        QCOMPARE(p.text, std::string("\"0,0\" is outside the service area (12 km around downtown Seattle)"));
    }
};

QTEST_GUILESS_MAIN(TestPlaces)
#include "tst_places.moc"
