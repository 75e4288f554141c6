#pragma once

#include "models/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace sightline {

// Which fields of a kept message may change in edit-and-resubmit (SPEC.md §4), per the kind of
// document the message carries (the target's schema): JSON pointers where `*` stands for any one
// key or array index, e.g. "/data/payload/lines/*/quantity". Every other field is locked. From
// resources/edit-rules.json, then the user's copy (edit-rules.json in the config folder) on top,
// kind by kind.
//
// Guard rails no configuration can lift: the message's identity and routing (kGuardedPaths)
// never change, the shape never changes (no field added or removed, arrays keep their length),
// and each value keeps its JSON type.
struct EditRules
{
    QHash<QString, QStringList> editableByKind; // document kind -> pointer patterns

    static EditRules defaults();
    static Result<EditRules> fromJson(const QByteArray &json, EditRules base = defaults());
    // Defaults, the bundled file, then the user's file when it exists.
    static Result<EditRules> load(const QString &userFile = defaultUserFile());
    static QString defaultUserFile();

    // Whether the field at pointer may change in a message about a document of this kind.
    bool isEditable(const QString &documentKind, const QString &pointer) const;
    QStringList editablePatterns(const QString &documentKind) const
    {
        return editableByKind.value(documentKind);
    }
};

// Paths (and everything under them) that stay locked whatever the rules say.
QStringList guardedPaths();

// Whether pointer matches pattern (segments equal, `*` matching any one segment).
bool pointerMatches(const QString &pattern, const QString &pointer);

} // namespace sightline
