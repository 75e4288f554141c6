#pragma once

#include "models/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace sightline::sandbox {

// How often each kind of trouble happens, as a probability per document or message (0..1).
class TroubleRates
{
public:
    TroubleRates();

    static const QStringList &kinds();
    double rate(const QString &kind) const { return m_rates.value(kind, 0.0); }
    void setAll(double rate);
    Status set(const QString &kind, double rate);
    // "kind=rate" as given on the command line.
    Status parse(const QString &assignment);
    QJsonObject toJson() const;

private:
    QMap<QString, double> m_rates;
};

// Everything that determines a scenario: the same config gives the same scenario.
struct ScenarioConfig
{
    quint64 seed = 42;
    // The simulated instant the live run starts at; the backfill covers the days before it.
    QDateTime start;
    int backfillDays = 2;
    double salesOrdersPerHour = 4.0;
    double purchaseOrdersPerHour = 1.5;
    TroubleRates trouble;

    qint64 firstMs() const { return start.toMSecsSinceEpoch() - qint64(backfillDays) * 24 * 3600 * 1000; }
};

} // namespace sightline::sandbox
