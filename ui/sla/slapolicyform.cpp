#include "ui/sla/slapolicyform.h"

#include "models/domain/milestone.h"
#include "models/sla/policychange.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTimeEdit>
#include <QTimeZone>

namespace sightline {
namespace {

enum class Unit { Hours, BusinessHours, Minutes, Days };

QStringList listOf(const QLineEdit *edit)
{
    QStringList out;
    for (const QString &part : edit->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    }
    return out;
}

QString textOf(const QStringList &list)
{
    return list.join(QStringLiteral(", "));
}

void selectData(QComboBox *box, const QVariant &value)
{
    const int i = box->findData(value);
    box->setCurrentIndex(i >= 0 ? i : 0);
}

QPlainTextEdit *shortTextEdit(QWidget *parent, const QString &placeholder)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setMaximumHeight(edit->fontMetrics().lineSpacing() * 5);
    edit->setTabChangesFocus(true);
    return edit;
}

} // namespace

SlaPolicyForm::SlaPolicyForm(QWidget *parent) : QWidget(parent)
{
    build();
    watch();
}

void SlaPolicyForm::build()
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_name = new QLineEdit(this);
    m_measure = new QComboBox(this);
    m_measure->addItem(tr("within the target (from → to)"), int(SlaMeasure::Within));
    m_measure->addItem(tr("at least the target (to comes after from)"), int(SlaMeasure::AtLeast));
    m_measure->addItem(tr("integration lag (happened → received)"), int(SlaMeasure::Lag));
    m_measure->addItem(tr("from must come before to (an ASN for every receipt)"), int(SlaMeasure::Present));
    m_from = new QComboBox(this);
    m_from->addItem(tr("every event"), QStringLiteral("*"));
    m_to = new QComboBox(this);
    m_to->addItem(tr("(none)"), QString());
    for (const QString &m : allMilestones()) {
        m_from->addItem(m, m);
        m_to->addItem(m, m);
    }
    m_failsOn = new QLineEdit(this);
    m_failsOn->setPlaceholderText(tr("milestones that end it as breached, e.g. invoice.disputed"));
    m_target = new QDoubleSpinBox(this);
    m_target->setRange(0.01, 100000);
    m_target->setDecimals(2);
    m_unit = new QComboBox(this);
    m_unit->addItem(tr("hours"), int(Unit::Hours));
    m_unit->addItem(tr("business hours"), int(Unit::BusinessHours));
    m_unit->addItem(tr("minutes"), int(Unit::Minutes));
    m_unit->addItem(tr("days"), int(Unit::Days));
    auto *target = new QHBoxLayout;
    target->addWidget(m_target, 1);
    target->addWidget(m_unit);
    m_calendar = new QComboBox(this);
    m_atRisk = new QSpinBox(this);
    m_atRisk->setRange(1, 100);
    m_atRisk->setSuffix(tr(" % of the target"));
    m_kinds = new QLineEdit(this);
    m_kinds->setPlaceholderText(tr("all document kinds"));
    m_partners = new QLineEdit(this);
    m_partners->setPlaceholderText(tr("all partners"));
    m_warehouses = new QLineEdit(this);
    m_warehouses->setPlaceholderText(tr("all warehouses"));
    m_lanes = shortTextEdit(this, tr("warehouse, partner, days — one lane per line, * for any"));
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Measures"), m_measure);
    form->addRow(tr("&From milestone"), m_from);
    form->addRow(tr("&To milestone"), m_to);
    form->addRow(tr("Fails &on"), m_failsOn);
    auto *targetLabel = new QLabel(tr("T&arget"), this);
    targetLabel->setBuddy(m_target);
    form->addRow(targetLabel, target);
    form->addRow(tr("&Calendar"), m_calendar);
    form->addRow(tr("At &risk after"), m_atRisk);
    form->addRow(tr("Document &kinds"), m_kinds);
    form->addRow(tr("&Partners"), m_partners);
    form->addRow(tr("&Warehouses"), m_warehouses);
    form->addRow(tr("Transit &lanes"), m_lanes);
}

void SlaPolicyForm::watch()
{
    const auto changed = [this] {
        if (!m_loading)
            Q_EMIT edited();
    };
    for (QLineEdit *e : {m_name, m_failsOn, m_kinds, m_partners, m_warehouses})
        connect(e, &QLineEdit::textEdited, this, changed);
    for (QComboBox *b : {m_measure, m_from, m_to, m_unit, m_calendar})
        connect(b, &QComboBox::currentIndexChanged, this, changed);
    connect(m_target, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_atRisk, &QSpinBox::valueChanged, this, changed);
    connect(m_lanes, &QPlainTextEdit::textChanged, this, changed);
    connect(m_measure, &QComboBox::currentIndexChanged, this, &SlaPolicyForm::enableByMeasure);
}

void SlaPolicyForm::enableByMeasure()
{
    const auto measure = static_cast<SlaMeasure>(m_measure->currentData().toInt());
    const bool editable = m_name->isEnabled();
    m_to->setEnabled(editable && measure != SlaMeasure::Lag);
    m_target->setEnabled(editable && measure != SlaMeasure::Present);
    m_unit->setEnabled(editable && measure != SlaMeasure::Present);
    m_atRisk->setEnabled(editable && measure != SlaMeasure::Present && measure != SlaMeasure::Lag);
}

void SlaPolicyForm::setPolicy(const SlaPolicy &policy, const QStringList &calendars)
{
    m_loading = true;
    m_name->setText(policy.name);
    selectData(m_measure, int(policy.measure));
    selectData(m_from, policy.from);
    selectData(m_to, policy.to);
    m_failsOn->setText(textOf(policy.failsOn));
    m_calendar->clear();
    m_calendar->addItem(tr("wall clock (or default for business hours)"), QString());
    m_calendar->addItem(tr("the warehouse's calendar"), QStringLiteral("warehouse"));
    m_calendar->addItem(tr("the partner's calendar"), QStringLiteral("partner"));
    for (const QString &name : calendars)
        m_calendar->addItem(name, name);
    selectData(m_calendar, policy.calendar);
    setTarget(policy);
    m_atRisk->setValue(qRound(policy.atRiskFraction * 100));
    m_kinds->setText(textOf(policy.scope.documentKinds));
    m_partners->setText(textOf(policy.scope.partners));
    m_warehouses->setText(textOf(policy.scope.warehouses));
    m_lanes->setPlainText(transitLanesText(policy.lanes));
    enableByMeasure();
    m_loading = false;
}

void SlaPolicyForm::setTarget(const SlaPolicy &policy)
{
    const double h = policy.targetHours;
    Unit unit = Unit::Hours;
    double value = h;
    if (policy.businessHours)
        unit = Unit::BusinessHours;
    else if (h < 1)
        unit = Unit::Minutes, value = h * 60;
    else if (h >= 48 && std::fmod(h, 24) == 0)
        unit = Unit::Days, value = h / 24;
    selectData(m_unit, int(unit));
    m_target->setValue(value);
}

void SlaPolicyForm::applyTarget(SlaPolicy &policy) const
{
    const auto unit = static_cast<Unit>(m_unit->currentData().toInt());
    const double v = m_target->value();
    policy.businessHours = unit == Unit::BusinessHours;
    policy.targetHours = unit == Unit::Minutes ? v / 60 : unit == Unit::Days ? v * 24 : v;
}

Result<SlaPolicy> SlaPolicyForm::policy() const
{
    SlaPolicy p;
    p.name = m_name->text().trimmed();
    if (p.name.isEmpty())
        return Error{tr("A policy needs a name.")};
    p.measure = static_cast<SlaMeasure>(m_measure->currentData().toInt());
    p.from = m_from->currentData().toString();
    p.to = p.measure == SlaMeasure::Lag ? QString() : m_to->currentData().toString();
    if (p.from == QLatin1String("*") && p.measure != SlaMeasure::Lag)
        return Error{tr("Policy %1: only an integration-lag policy measures every event.").arg(p.name)};
    if (p.to.isEmpty() && p.measure != SlaMeasure::Lag)
        return Error{tr("Policy %1: choose the milestone that ends the measurement.").arg(p.name)};
    p.failsOn = listOf(m_failsOn);
    if (p.measure == SlaMeasure::Present)
        p.targetHours = 0;
    else
        applyTarget(p);
    p.calendar = m_calendar->currentData().toString();
    p.atRiskFraction = m_atRisk->value() / 100.0;
    p.scope = {listOf(m_kinds), listOf(m_partners), listOf(m_warehouses)};
    auto lanes = parseTransitLanes(m_lanes->toPlainText());
    if (!lanes)
        return Error{tr("Policy %1: %2").arg(p.name, lanes.error())};
    p.lanes = lanes.value();
    return p;
}

void SlaPolicyForm::setReadOnly(bool readOnly)
{
    for (QWidget *w : findChildren<QWidget *>())
        w->setEnabled(!readOnly);
    enableByMeasure();
}

SlaCalendarForm::SlaCalendarForm(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_name = new QLineEdit(this);
    m_zone = new QComboBox(this);
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        m_zone->addItem(QString::fromUtf8(id), id);
    m_holidays = shortTextEdit(this, tr("one date per line, e.g. 2026-12-25"));
    m_holidays->setMaximumHeight(m_holidays->fontMetrics().lineSpacing() * 8);
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Time zone"), m_zone);
    form->addRow(tr("Working hours"), makeDays());
    form->addRow(tr("&Holidays"), m_holidays);
    const auto changed = [this] {
        if (!m_loading)
            Q_EMIT edited();
    };
    connect(m_name, &QLineEdit::textEdited, this, changed);
    connect(m_zone, &QComboBox::currentIndexChanged, this, changed);
    connect(m_holidays, &QPlainTextEdit::textChanged, this, changed);
    for (const DayRow &row : m_days) {
        connect(row.open, &QCheckBox::toggled, this, changed);
        connect(row.from, &QTimeEdit::timeChanged, this, changed);
        connect(row.to, &QTimeEdit::timeChanged, this, changed);
    }
}

QWidget *SlaCalendarForm::makeDays()
{
    auto *box = new QWidget(this);
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    for (int d = 1; d <= 7; ++d) {
        DayRow &row = m_days.at(static_cast<size_t>(d - 1));
        row.open = new QCheckBox(QLocale().dayName(d), box);
        row.from = new QTimeEdit(box);
        row.to = new QTimeEdit(box);
        for (QTimeEdit *t : {row.from, row.to})
            t->setDisplayFormat(QStringLiteral("HH:mm"));
        connect(row.open, &QCheckBox::toggled, row.from, &QWidget::setEnabled);
        connect(row.open, &QCheckBox::toggled, row.to, &QWidget::setEnabled);
        grid->addWidget(row.open, d - 1, 0);
        grid->addWidget(row.from, d - 1, 1);
        grid->addWidget(new QLabel(QStringLiteral("–"), box), d - 1, 2);
        grid->addWidget(row.to, d - 1, 3);
    }
    return box;
}

void SlaCalendarForm::setCalendar(const BusinessCalendar &calendar)
{
    m_loading = true;
    m_name->setText(calendar.name());
    selectData(m_zone, calendar.timeZone().id());
    for (int d = 1; d <= 7; ++d) {
        const BusinessCalendar::Hours h = calendar.hours(d);
        DayRow &row = m_days.at(static_cast<size_t>(d - 1));
        row.open->setChecked(h.isOpen());
        row.from->setEnabled(h.isOpen() && row.open->isEnabled());
        row.to->setEnabled(h.isOpen() && row.open->isEnabled());
        row.from->setTime(QTime(0, 0).addSecs(h.openMinute * 60));
        row.to->setTime(h.closeMinute >= 1440 ? QTime(23, 59) : QTime(0, 0).addSecs(h.closeMinute * 60));
    }
    m_holidays->setPlainText(dateListText(calendar.holidays()));
    m_loading = false;
}

Result<BusinessCalendar> SlaCalendarForm::calendar() const
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        return Error{tr("A calendar needs a name.")};
    BusinessCalendar c = BusinessCalendar::weekly(name, m_zone->currentData().toByteArray(), {}, 0, 0);
    for (int d = 1; d <= 7; ++d) {
        const DayRow &row = m_days.at(static_cast<size_t>(d - 1));
        if (!row.open->isChecked())
            continue;
        const int open = row.from->time().msecsSinceStartOfDay() / 60000;
        int close = row.to->time().msecsSinceStartOfDay() / 60000;
        if (close == 23 * 60 + 59)
            close = 1440;
        if (close <= open)
            return Error{tr("Calendar %1: %2 closes before it opens.").arg(name, QLocale().dayName(d))};
        c.setHours(d, {open, close});
    }
    auto holidays = parseDateList(m_holidays->toPlainText());
    if (!holidays)
        return Error{tr("Calendar %1, holidays: %2").arg(name, holidays.error())};
    for (const QDate &day : holidays.value())
        c.addHoliday(day);
    return c;
}

void SlaCalendarForm::setReadOnly(bool readOnly)
{
    for (QWidget *w : findChildren<QWidget *>())
        w->setEnabled(!readOnly);
}

} // namespace sightline
