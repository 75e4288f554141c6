#include "models/domain/trace.h"

namespace sightline {

const TraceDocument *Trace::document(qint64 documentId) const
{
    for (const TraceDocument &d : documents) {
        if (d.id == documentId)
            return &d;
    }
    return nullptr;
}

} // namespace sightline
