#include "ui/exceptions/exceptionfilterbar.h"

#include "models/actions/roles.h"
#include "models/exceptions/exceptionrules.h"
#include "models/exceptions/savedviews.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace sightline {
namespace {

constexpr qint64 kHourMs = 3600 * 1000;

QString joined(const QStringList &list)
{
    return list.join(u',');
}

QStringList split(const QString &s)
{
    return s.isEmpty() ? QStringList() : s.split(u',');
}

QString severitiesFrom(ExceptionSeverity lowest)
{
    QStringList out;
    for (int s = int(lowest); s <= int(ExceptionSeverity::Critical); ++s)
        out.append(exceptionSeverityName(ExceptionSeverity(s)));
    return joined(out);
}

// Selects the entry with this data, adding one labelled `label` when there is none.
void showEntry(QComboBox *combo, const QVariant &data, const QString &label)
{
    int i = combo->findData(data);
    if (i < 0) {
        combo->addItem(label, data);
        i = combo->count() - 1;
    }
    combo->setCurrentIndex(i);
}

} // namespace

ExceptionFilterBar::ExceptionFilterBar(QWidget *parent) : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    addCombos();
    addEdits();
    for (QComboBox *c : {m_status, m_type, m_severity, m_scope, m_age, m_owner}) {
        connect(c, &QComboBox::currentIndexChanged, this, &ExceptionFilterBar::changed);
        row->addWidget(c);
    }
    for (QLineEdit *e : {m_system, m_partner, m_warehouse}) {
        connect(e, &QLineEdit::editingFinished, this, [this, e] {
            if (e->isModified()) {
                e->setModified(false);
                Q_EMIT changed();
            }
        });
        row->addWidget(e);
    }
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("exceptionCount"));
    row->addStretch(1);
    row->addWidget(m_count);
}

void ExceptionFilterBar::addCombos()
{
    m_status = new QComboBox(this);
    m_status->setObjectName(QStringLiteral("exceptionStatusFilter"));
    m_status->addItem(tr("Open"), QStringLiteral("new,in_progress"));
    for (ExceptionStatus s : {ExceptionStatus::New, ExceptionStatus::InProgress, ExceptionStatus::Resolved,
                              ExceptionStatus::Ignored})
        m_status->addItem(exceptionStatusName(s).replace(u'_', u' '), exceptionStatusName(s));
    m_status->addItem(tr("All statuses"), QString());
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("exceptionTypeFilter"));
    m_type->addItem(tr("All types"), QString());
    const ExceptionRules rules = ExceptionRules::defaults();
    QStringList names = rules.settings.keys();
    names.sort();
    for (const QString &r : names)
        m_type->addItem(rules.type(r), r);
    m_severity = new QComboBox(this);
    m_severity->setObjectName(QStringLiteral("exceptionSeverityFilter"));
    m_severity->addItem(tr("Any severity"), QString());
    m_severity->addItem(tr("Medium and above"), severitiesFrom(ExceptionSeverity::Medium));
    m_severity->addItem(tr("High and critical"), severitiesFrom(ExceptionSeverity::High));
    m_severity->addItem(tr("Critical"), severitiesFrom(ExceptionSeverity::Critical));
    // A role's documents: a buyer's purchasing documents, a supervisor's warehouse ones.
    m_scope = new QComboBox(this);
    m_scope->setObjectName(QStringLiteral("exceptionScopeFilter"));
    m_scope->addItem(tr("All documents"), QString());
    m_scope->addItem(tr("Purchasing documents"), joined(defaultDocumentKinds(Role::Buyer)));
    m_scope->addItem(tr("Warehouse documents"), joined(defaultDocumentKinds(Role::WarehouseSupervisor)));
    m_age = new QComboBox(this);
    m_age->setObjectName(QStringLiteral("exceptionAgeFilter"));
    m_age->addItem(tr("Any age"), qint64(0));
    m_age->addItem(tr("Older than 4 h"), 4 * kHourMs);
    m_age->addItem(tr("Older than 1 day"), 24 * kHourMs);
    m_age->addItem(tr("Older than 3 days"), 72 * kHourMs);
    m_owner = new QComboBox(this);
    m_owner->setObjectName(QStringLiteral("exceptionOwnerFilter"));
    m_owner->addItem(tr("Anyone's"), QString());
    m_owner->addItem(tr("Mine"), QString::fromUtf16(kOwnerMe));
}

void ExceptionFilterBar::addEdits()
{
    auto edit = [this](const QString &placeholder, const char *name) {
        auto *e = new QLineEdit(this);
        e->setObjectName(QLatin1String(name));
        e->setPlaceholderText(placeholder);
        e->setClearButtonEnabled(true);
        e->setMaximumWidth(130);
        return e;
    };
    m_system = edit(tr("System"), "exceptionSystemFilter");
    m_partner = edit(tr("Partner"), "exceptionPartnerFilter");
    m_warehouse = edit(tr("Warehouse"), "exceptionWarehouseFilter");
}

ExceptionFilter ExceptionFilterBar::filter() const
{
    ExceptionFilter f;
    f.statuses = split(m_status->currentData().toString());
    f.type = m_type->currentData().toString();
    f.severities = split(m_severity->currentData().toString());
    f.documentKinds = split(m_scope->currentData().toString());
    f.minAgeMs = m_age->currentData().toLongLong();
    f.owner = m_owner->currentData().toString();
    f.system = m_system->text().trimmed();
    f.partner = m_partner->text().trimmed();
    f.warehouse = m_warehouse->text().trimmed();
    return f;
}

void ExceptionFilterBar::setFilter(const ExceptionFilter &f)
{
    const QSignalBlocker b1(m_status), b2(m_type), b3(m_severity), b4(m_scope), b5(m_age), b6(m_owner);
    showEntry(m_status, joined(f.statuses), joined(f.statuses));
    showEntry(m_type, f.type, f.type);
    showEntry(m_severity, joined(f.severities), joined(f.severities));
    showEntry(m_scope, joined(f.documentKinds), joined(f.documentKinds));
    showEntry(m_age, f.minAgeMs, tr("Older than %n h", nullptr, int(f.minAgeMs / kHourMs)));
    showEntry(m_owner, f.owner, f.owner);
    m_system->setText(f.system);
    m_partner->setText(f.partner);
    m_warehouse->setText(f.warehouse);
}

void ExceptionFilterBar::setCountText(const QString &text)
{
    m_count->setText(text);
}

} // namespace sightline
