#pragma once

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimeZone>

namespace sightline::sandbox {

// A warehouse and its working calendar, in its own time zone.
struct Warehouse
{
    QString code;
    QString name;
    QByteArray timeZone; // IANA id
    int openHour = 8;    // local
    int closeHour = 17;  // local, exclusive
    QList<int> workdays; // Qt::DayOfWeek values
    QList<QDate> holidays;

    bool isWorking(qint64 utcMs) const;
    // The first working instant at or after utcMs.
    qint64 nextWorkingTime(qint64 utcMs) const;
    // utcMs plus a span of working time (hours counted only while open).
    qint64 addWorkingMs(qint64 utcMs, qint64 spanMs) const;
    QJsonObject toJson() const;
};

// The sandbox's three warehouses: New York, Rotterdam and Singapore.
QList<Warehouse> defaultWarehouses(int year);

} // namespace sightline::sandbox
