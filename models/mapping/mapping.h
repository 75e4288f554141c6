#pragma once

#include "models/ingest/cloudevents.h"
#include "models/result.h"

#include <QByteArrayView>
#include <QString>
#include <memory>

namespace sightline {

struct MappingRules;

// A declarative mapping from one source's payloads (a REST record, a feed message) onto the
// canonical model, read from a JSON file (README, "Mapping files"). Values are JSON pointers into
// the payload, templates such as "SO-{/number}", or literals; milestones come from value maps of
// the source's statuses; times are read with the formats the rule lists.
class Mapping
{
public:
    // Reads a mapping file; an error names the file, the rule and what is wrong.
    static Result<Mapping> load(const QString &path);
    static Result<Mapping> parse(QByteArrayView json, const QString &fileName);

    Mapping(const Mapping &) = default;
    Mapping &operator=(const Mapping &) = default;
    ~Mapping();

    QString fileName() const;
    QString name() const;

    // Maps one payload. The first rule whose "when" matches maps it; a payload that matches no
    // rule, is not JSON, or lacks what the rule needs goes to out.quarantined with the reason,
    // naming the file, the rule and the payload path.
    void map(QByteArrayView payload, const QString &origin, const QString &position, qint64 receivedMs,
             ParsedInput &out) const;

private:
    explicit Mapping(std::shared_ptr<const MappingRules> rules);
    std::shared_ptr<const MappingRules> m_rules;
};

} // namespace sightline
