// PlaceResolver: coordinates first, then exact names, then near misses, then the free-text policy.
#include "backend/domain/PlaceResolver.h"

#include "backend/domain/ServiceArea.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace dd::domain {

using dronedelivery::v1::Location;

namespace {

constexpr double kPi = 3.14159265358979323846;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

/// Only digits, signs, points, exponents, commas and spaces, with a digit: meant as coordinates.
bool looksNumeric(std::string_view text)
{
    bool digit = false;
    for (const char c : text) {
        if (c >= '0' && c <= '9')
            digit = true;
        else if (!(c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E' || c == ',' || isSpace(c)))
            return false;
    }
    return digit;
}

bool parseNumber(std::string_view text, double &out)
{
    text = trimmed(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1); // from_chars takes no '+'
    if (text.empty())
        return false;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

/// "47.6,-122.3", "120, 47.6, -122.3" or "47.6 -122.3" → the numbers; false if not 2 or 3 numbers.
bool parseCoordinates(std::string_view text, Location &out)
{
    std::vector<std::string_view> parts;
    if (text.find(',') != std::string_view::npos) {
        std::size_t begin = 0;
        for (std::size_t comma; (comma = text.find(',', begin)) != std::string_view::npos; begin = comma + 1)
            parts.push_back(text.substr(begin, comma - begin));
        parts.push_back(text.substr(begin));
    } else {
        std::size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && isSpace(text[i]))
                ++i;
            const std::size_t begin = i;
            while (i < text.size() && !isSpace(text[i]))
                ++i;
            if (i > begin)
                parts.push_back(text.substr(begin, i - begin));
        }
    }
    if (parts.size() != 2 && parts.size() != 3)
        return false;
    double numbers[3] = {0, 0, 0};
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (!parseNumber(parts[i], numbers[i]))
            return false;
    const std::size_t lat = parts.size() == 3 ? 1 : 0; // the reference writes "alt,lat,lon"
    out.Clear();
    if (parts.size() == 3)
        out.set_altitude(numbers[0]);
    out.set_latitude(numbers[lat]);
    out.set_longitude(numbers[lat + 1]);
    return true;
}

bool inRange(const Location &location)
{
    return std::isfinite(location.latitude()) && std::isfinite(location.longitude())
        && std::isfinite(location.altitude()) && std::abs(location.latitude()) <= 90
        && std::abs(location.longitude()) <= 180;
}

Location placeLocation(const Place &place)
{
    Location location;
    location.set_latitude(place.latitude);
    location.set_longitude(place.longitude);
    location.set_place(place.name);
    return location;
}

/// The query's words are prefixes of the name's words, in order ("pike pl" → Pike Place).
/// Lower is closer: matched from the name's first word, then fewer words left over; -1: no.
int wordPrefixMatch(const std::vector<std::string> &query, const std::vector<std::string> &name)
{
    std::size_t letters = 0, j = 0;
    int fromLaterWord = -1;
    for (const std::string &word : query) {
        while (j < name.size() && name[j].compare(0, word.size(), word) != 0)
            ++j;
        if (j == name.size())
            return -1;
        if (fromLaterWord < 0)
            fromLaterWord = j == 0 ? 0 : 1;
        letters += word.size();
        ++j;
    }
    if (letters < 3)
        return -1;
    return fromLaterWord * 10 + int(std::min<std::size_t>(name.size() - query.size(), 9));
}

/// How close `query` is to `key`, lower is closer (typos 0-3, word prefixes 100+, a prefix
/// of the run-together name 150, the name inside the text 200); -1: not close.
int closeness(const PlaceText &query, const PlaceText &key)
{
    // A few typos for the length: one in "Fremnt", two in "Pike Plce Markt", none below 4 letters.
    const std::size_t shorter = std::min(query.key.size(), key.key.size());
    const std::size_t tolerated = shorter < 4 ? 0 : shorter < 8 ? 1 : shorter < 13 ? 2 : 3;
    const std::size_t distance = editDistance(query.key, key.key);
    if (distance <= tolerated)
        return int(distance);
    if (const int prefix = wordPrefixMatch(query.words, key.words); prefix >= 0)
        return 100 + prefix;
    // "Gasworks" for "Gas Works Park": the start of the name with its spaces left out.
    if (query.key.size() >= 4 && key.key.compare(0, query.key.size(), query.key) == 0)
        return 150;
    // "near the Space Needle", "Fremont Ave N": the name inside more text is a near miss,
    // not free text (a stand-in point would be far from what was meant).
    if (key.key.size() >= 5 && query.key.find(key.key) != std::string::npos)
        return 200;
    return -1;
}

std::string quoted(std::string_view text)
{
    return "\"" + std::string(text) + "\"";
}

std::string subject(std::string_view field, std::string_view text)
{
    return field.empty() ? quoted(text) : std::string(field) + " " + quoted(text);
}

std::string didYouMean(const std::vector<std::string> &names)
{
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            list += i + 1 == names.size() ? " or " : ", ";
        list += names[i];
    }
    return "did you mean " + list + "?";
}

std::string coordinates(const Location &location)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.4f, %.4f", location.latitude(), location.longitude());
    return text;
}

} // namespace

PlaceResolver::PlaceResolver(const Gazetteer &gazetteer) : m_gazetteer(gazetteer) { }

const PlaceResolver &PlaceResolver::standard()
{
    static const PlaceResolver resolver(Gazetteer::seattle());
    return resolver;
}

PlaceResolver::Result PlaceResolver::resolve(std::string_view text, std::string_view field, PlacePolicy policy) const
{
    Result result;
    const auto fail = [&](std::string message, std::vector<std::string> suggestions = {}) {
        result.ok = false;
        result.error = {std::string(field), std::move(message), std::move(suggestions)};
        return result;
    };
    text = trimmed(text);
    if (text.empty())
        return fail(field.empty() ? std::string("a location is required") : std::string(field) + " is required");

    if (looksNumeric(text)) {
        Location location;
        if (!parseCoordinates(text, location))
            return fail(subject(field, text) + " must be \"lat,lon\" or \"alt,lat,lon\"");
        if (!inRange(location))
            return fail(subject(field, text) + ": latitude must be within ±90 and longitude within ±180");
        if (!ServiceArea::contains(location.latitude(), location.longitude()))
            return fail(subject(field, text) + " is outside the service area (" + ServiceArea::kDescription + ")");
        result.ok = true;
        result.location = location;
        return result;
    }

    const PlaceText query = PlaceText::of(text);
    if (const Place *place = m_gazetteer.find(query.key)) {
        result.ok = true;
        result.location = placeLocation(*place);
        return result;
    }
    if (const Place *far = m_gazetteer.findOutside(query.key))
        return fail(subject(field, text) + " (" + far->name + ") is outside the service area ("
            + ServiceArea::kDescription + ")");
    if (auto close = suggestions(text); !close.empty()) {
        std::string message = "unknown place " + quoted(text) + "; " + didYouMean(close);
        return fail(std::move(message), std::move(close));
    }
    if (policy == PlacePolicy::Strict)
        return fail("unknown place " + quoted(text) + " (give \"lat,lon\" or a named place of the service area)");
    result.ok = true;
    result.location = standIn(text);
    return result;
}

Location PlaceResolver::locate(std::string_view text) const
{
    text = trimmed(text);
    Location location;
    if (looksNumeric(text) && parseCoordinates(text, location) && inRange(location))
        return location;
    if (const Place *place = m_gazetteer.find(PlaceText::of(text).key))
        return placeLocation(*place);
    return standIn(text);
}

Location PlaceResolver::standIn(std::string_view text)
{
    const std::string key = PlaceText::of(text).key;
    std::uint64_t h = 14695981039346656037ull; // FNV-1a 64
    for (const unsigned char c : key)
        h = (h ^ c) * 1099511628211ull;
    // FNV alone barely moves its high bits for one-letter changes ("a" and "x" would land
    // metres apart): the MurmurHash3 finaliser spreads every input bit over all 64.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    // Polar coordinates, sqrt for a uniform spread by area; 90 %: away from the edge.
    const double u = double(h & 0xffffffffu) / 4294967296.0;
    const double v = double(h >> 32) / 4294967296.0;
    double latitude = 0, longitude = 0;
    ServiceArea::pointAt(ServiceArea::kRadiusMeters * 0.9 * std::sqrt(u), 2 * kPi * v, latitude, longitude);
    Location location;
    location.set_latitude(latitude);
    location.set_longitude(longitude);
    location.set_stand_in(true);
    return location;
}

std::vector<std::string> PlaceResolver::suggestions(std::string_view text) const
{
    const PlaceText query = PlaceText::of(text);
    if (query.key.empty())
        return {};
    // The best closeness per place, then the closest places (gazetteer order breaks ties).
    std::vector<int> best(m_gazetteer.places().size(), -1);
    for (const Gazetteer::Key &key : m_gazetteer.keys()) {
        const int score = closeness(query, key.text);
        if (score >= 0 && (best[key.place] < 0 || score < best[key.place]))
            best[key.place] = score;
    }
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < best.size(); ++i)
        if (best[i] >= 0)
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return best[a] < best[b]; });
    std::vector<std::string> names;
    for (std::size_t i = 0; i < order.size() && names.size() < kMaxSuggestions; ++i)
        names.push_back(m_gazetteer.places()[order[i]].name);
    return names;
}

PlacePreview describePlace(std::string_view text, PlacePolicy policy)
{
    const PlaceResolver::Result result = PlaceResolver::standard().resolve(text, {}, policy);
    PlacePreview preview;
    preview.ok = result.ok;
    if (!result.ok) {
        preview.text = result.error.message;
        preview.suggestions = result.error.suggestions;
    } else if (!result.location.place().empty()) {
        preview.text = result.location.place() + " · " + coordinates(result.location);
    } else if (result.location.stand_in()) {
        preview.text = "not a known place: stand-in point " + coordinates(result.location);
    } else {
        preview.text = coordinates(result.location);
    }
    return preview;
}

} // namespace dd::domain
