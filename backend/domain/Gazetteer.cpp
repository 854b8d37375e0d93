// Gazetteer: parses the TSV, keeps what lies in the service area, indexes names and aliases by normal form.
#include "backend/domain/Gazetteer.h"

#include "backend/domain/ServiceArea.h"

#include <QFile>
#include <QLoggingCategory>

#include <charconv>
#include <cmath>

Q_LOGGING_CATEGORY(lcGazetteer, "dd.domain.gazetteer")

namespace dd::domain {

namespace {

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t begin = 0;
    while (true) {
        const std::size_t end = text.find(separator, begin);
        parts.push_back(text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
        if (end == std::string_view::npos)
            return parts;
        begin = end + 1;
    }
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\r'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

bool number(std::string_view text, double &out)
{
    text = trimmed(text);
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc() && result.ptr == text.data() + text.size() && std::isfinite(out);
}

} // namespace

const Gazetteer &Gazetteer::seattle()
{
    static const Gazetteer gazetteer = [] {
        QFile file(QStringLiteral(":/dd/places/seattle.tsv"));
        if (!file.open(QIODevice::ReadOnly)) {
            // A build without the resource: every name then falls to the free-text rule.
            qCCritical(lcGazetteer) << "the gazetteer resource :/dd/places/seattle.tsv is missing";
            return Gazetteer();
        }
        const QByteArray tsv = file.readAll();
        std::vector<std::string> problems;
        Gazetteer loaded = fromTsv(std::string_view(tsv.constData(), std::size_t(tsv.size())), &problems);
        for (const std::string &problem : problems)
            qCWarning(lcGazetteer) << "seattle.tsv:" << problem.c_str();
        return loaded;
    }();
    return gazetteer;
}

Gazetteer Gazetteer::fromTsv(std::string_view tsv, std::vector<std::string> *problems)
{
    const auto report = [problems](std::size_t line, const std::string &what) {
        if (problems)
            problems->push_back("line " + std::to_string(line) + ": " + what);
    };
    Gazetteer gazetteer;
    std::size_t lineNumber = 0;
    for (std::string_view line : split(tsv, '\n')) {
        ++lineNumber;
        if (trimmed(line).empty() || trimmed(line).front() == '#')
            continue;
        const auto fields = split(line, '\t');
        Place place;
        if (fields.size() != 5 || trimmed(fields[0]).empty() || !number(fields[2], place.latitude)
            || !number(fields[3], place.longitude)) {
            report(lineNumber, "expected name, aliases, latitude, longitude, kind");
            continue;
        }
        place.name = std::string(trimmed(fields[0]));
        const std::string_view kind = trimmed(fields[4]);
        if (kind != "neighbourhood" && kind != "landmark") {
            report(lineNumber, place.name + ": kind must be neighbourhood or landmark");
            continue;
        }
        place.kind = kind == "landmark" ? PlaceKind::Landmark : PlaceKind::Neighbourhood;
        for (std::string_view alias : split(fields[1], '|'))
            if (!trimmed(alias).empty())
                place.aliases.emplace_back(trimmed(alias));
        if (!ServiceArea::contains(place.latitude, place.longitude)) {
            for (const std::string &name : place.aliases)
                gazetteer.m_outsideByKey.emplace(PlaceText::of(name).key, gazetteer.m_outside.size());
            gazetteer.m_outsideByKey.emplace(PlaceText::of(place.name).key, gazetteer.m_outside.size());
            gazetteer.m_outside.push_back(std::move(place));
            continue;
        }

        const std::size_t index = gazetteer.m_places.size();
        const auto addKey = [&](const std::string &name) {
            PlaceText text = PlaceText::of(name);
            if (text.key.empty())
                return;
            // Two places under one name would make a name ambiguous: the first keeps it.
            if (const auto [it, added] = gazetteer.m_byKey.emplace(text.key, index); !added) {
                if (it->second != index)
                    report(lineNumber, "\"" + name + "\" already names " + gazetteer.m_places[it->second].name);
                return;
            }
            gazetteer.m_keys.push_back({std::move(text), index});
        };
        gazetteer.m_places.push_back(place);
        addKey(place.name);
        for (const std::string &alias : place.aliases)
            addKey(alias);
    }
    return gazetteer;
}

const Place *Gazetteer::find(const std::string &key) const
{
    const auto it = m_byKey.find(key);
    return it == m_byKey.end() ? nullptr : &m_places[it->second];
}

const Place *Gazetteer::findOutside(const std::string &key) const
{
    const auto it = m_outsideByKey.find(key);
    return it == m_outsideByKey.end() ? nullptr : &m_outside[it->second];
}

} // namespace dd::domain
