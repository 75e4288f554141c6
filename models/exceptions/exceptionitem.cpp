#include "models/exceptions/exceptionitem.h"

namespace sightline {

QString exceptionStatusName(ExceptionStatus status)
{
    switch (status) {
    case ExceptionStatus::New:
        return QStringLiteral("new");
    case ExceptionStatus::InProgress:
        return QStringLiteral("in_progress");
    case ExceptionStatus::Resolved:
        return QStringLiteral("resolved");
    case ExceptionStatus::Ignored:
        return QStringLiteral("ignored");
    }
    return {};
}

std::optional<ExceptionStatus> exceptionStatusFromName(QStringView name)
{
    for (ExceptionStatus s : {ExceptionStatus::New, ExceptionStatus::InProgress, ExceptionStatus::Resolved,
                              ExceptionStatus::Ignored}) {
        if (name == exceptionStatusName(s))
            return s;
    }
    return std::nullopt;
}

bool isOpen(ExceptionStatus status)
{
    return status == ExceptionStatus::New || status == ExceptionStatus::InProgress;
}

QString exceptionSeverityName(ExceptionSeverity severity)
{
    switch (severity) {
    case ExceptionSeverity::Low:
        return QStringLiteral("low");
    case ExceptionSeverity::Medium:
        return QStringLiteral("medium");
    case ExceptionSeverity::High:
        return QStringLiteral("high");
    case ExceptionSeverity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

ExceptionSeverity exceptionSeverityFromName(QStringView name, ExceptionSeverity fallback)
{
    for (ExceptionSeverity s : {ExceptionSeverity::Low, ExceptionSeverity::Medium, ExceptionSeverity::High,
                                ExceptionSeverity::Critical}) {
        if (name == exceptionSeverityName(s))
            return s;
    }
    return fallback;
}

} // namespace sightline
