#include "models/trace/searchhit.h"

namespace sightline {

PrefixRange prefixRange(const QString &foldedPrefix)
{
    QString upper = foldedPrefix;
    // Drop trailing U+FFFF (nothing sorts after it in the BMP), then bump the last character.
    while (!upper.isEmpty() && upper.back().unicode() == 0xFFFF)
        upper.chop(1);
    if (upper.isEmpty())
        return {foldedPrefix, QString(QChar(0xFFFF)).repeated(2)};
    upper.back() = QChar(upper.back().unicode() + 1);
    return {foldedPrefix, upper};
}

} // namespace sightline
