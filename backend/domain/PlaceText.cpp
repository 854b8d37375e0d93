// PlaceText: the normal form through QString (Unicode decomposition), edit distance on bytes.
#include "backend/domain/PlaceText.h"

#include <QString>

#include <algorithm>

namespace dd::domain {

PlaceText PlaceText::of(std::string_view utf8)
{
    const QString decomposed
        = QString::fromUtf8(utf8.data(), qsizetype(utf8.size())).normalized(QString::NormalizationForm_KD);
    PlaceText text;
    QString word;
    const auto endWord = [&] {
        if (word.isEmpty())
            return;
        text.words.push_back(word.toStdString());
        text.key += text.words.back();
        word.clear();
    };
    for (const QChar c : decomposed) {
        if (c.isMark())
            continue; // the accent of "é" once decomposed
        if (c == QLatin1Char('\'') || c == QChar(0x2019))
            continue; // "Fishermen's" is one word
        if (c.isLetterOrNumber())
            word += c.toCaseFolded();
        else
            endWord();
    }
    endWord();
    return text;
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    // Two rows of the classic table: O(|a|·|b|) time, O(|b|) memory; names are short.
    std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

} // namespace dd::domain
