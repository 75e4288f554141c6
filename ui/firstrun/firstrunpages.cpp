#include "ui/firstrun/firstrunpages.h"

#include "connectors/setup/connectiontest.h"
#include "connectors/setup/profilewriter.h"
#include "models/resourcepaths.h"
#include "ui/firstrun/firstrunwizard.h"
#include "ui/theme.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace sightline {
namespace {

FirstRunWizard *firstRun(QWizard *wizard)
{
    return qobject_cast<FirstRunWizard *>(wizard);
}

QLabel *note(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

template<typename W> W *named(W *widget, const char *objectName)
{
    widget->setObjectName(QLatin1String(objectName));
    return widget;
}

} // namespace

ChoicePage::ChoicePage(QWidget *parent) : QWizardPage(parent)
{
    setTitle(tr("Welcome to Sightline"));
    setSubTitle(tr("No connection is configured yet. Choose how to start; you can change it later."));
    m_demo = named(new QRadioButton(tr("Try the demo sandbox"), this), "demoChoice");
    m_real = named(new QRadioButton(tr("Connect to a real system"), this), "realChoice");
    m_demo->setChecked(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_demo);
    layout->addWidget(
        note(tr("A simulated ERP, warehouse system, supplier portal and event feed run on this "
                "computer, with realistic orders, delays and failures. Nothing leaves this computer."),
             this));
    layout->addSpacing(12);
    layout->addWidget(m_real);
    layout->addWidget(
        note(tr("A REST API that Sightline polls, or a WebSocket event feed. You give its address "
                "and how it authenticates, and test the connection before it is saved."),
             this));
    layout->addStretch();
}

int ChoicePage::nextId() const
{
    return m_demo->isChecked() ? FirstRunWizard::DonePageId : FirstRunWizard::ConnectionPageId;
}

bool ChoicePage::demoChosen() const
{
    return m_demo->isChecked();
}

ConnectionPage::ConnectionPage(QWidget *parent) : QWizardPage(parent)
{
    setTitle(tr("Connection"));
    setSubTitle(tr("Where the system is and how Sightline proves who it is. Secrets are never saved: "
                   "Sightline reads them from an environment variable or a file each time it connects."));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    addConnectionFields(form);
    addAuthFields(form);
    layout->addLayout(form);
    m_problem = named(new QLabel(this), "problem");
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: %1").arg(Theme::breached().name()));
    layout->addWidget(m_problem);
    layout->addStretch();
    updateVisibleFields();
}

void ConnectionPage::addConnectionFields(QFormLayout *form)
{
    m_name = named(new QLineEdit(QStringLiteral("erp"), this), "name");
    m_kind = named(new QComboBox(this), "kind");
    m_kind->addItem(tr("REST API (polled)"), int(ConnectionProfile::Kind::Rest));
    m_kind->addItem(tr("Event feed (WebSocket)"), int(ConnectionProfile::Kind::WebSocketFeed));
    m_url = named(new QLineEdit(this), "url");
    m_url->setPlaceholderText(QStringLiteral("https://erp.example.com/api/v1"));
    m_resourcePath = named(new QLineEdit(QStringLiteral("/sales-orders"), this), "resourcePath");
    m_mapping = named(new QComboBox(this), "mapping");
    m_mapping->setEditable(true);
    const QDir mappings(resourcePath(QStringLiteral("mappings")));
    m_mapping->addItems(mappings.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name));
    m_mapping->setCurrentIndex(
        qMax(0, m_mapping->findText(QStringLiteral("sales-orders"), Qt::MatchContains)));
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Kind"), m_kind);
    form->addRow(tr("&URL"), m_url);
    form->addRow(tr("&Records at"), m_resourcePath);
    form->addRow(tr("&Mapping"), m_mapping);
    m_restOnly = {m_resourcePath, m_mapping, form->labelForField(m_resourcePath),
                  form->labelForField(m_mapping)};
    connect(m_name, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    connect(m_url, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ConnectionPage::updateVisibleFields);
}

void ConnectionPage::addAuthFields(QFormLayout *form)
{
    using T = AuthSettings::Type;
    m_authType = named(new QComboBox(this), "authType");
    m_authType->addItem(tr("None"), int(T::None));
    m_authType->addItem(tr("API key in a header"), int(T::ApiKey));
    m_authType->addItem(tr("Bearer token"), int(T::Bearer));
    m_authType->addItem(tr("User and password (HTTP Basic)"), int(T::Basic));
    m_authType->addItem(tr("OAuth2 client credentials"), int(T::OAuth2ClientCredentials));
    m_header = named(new QLineEdit(QStringLiteral("X-Api-Key"), this), "header");
    m_user = named(new QLineEdit(this), "user");
    m_tokenUrl = named(new QLineEdit(this), "tokenUrl");
    m_scope = named(new QLineEdit(this), "scope");
    m_secretStore = named(new QComboBox(this), "secretStore");
    m_secretStore->addItem(tr("Environment variable"), QStringLiteral("env"));
    m_secretStore->addItem(tr("File (readable by you only)"), QStringLiteral("file"));
    m_secretName = named(new QLineEdit(this), "secretName");
    m_secretName->setPlaceholderText(QStringLiteral("ERP_TOKEN"));
    form->addRow(tr("&Authentication"), m_authType);
    form->addRow(tr("&Header"), m_header);
    form->addRow(tr("U&ser / client id"), m_user);
    form->addRow(tr("&Token URL"), m_tokenUrl);
    form->addRow(tr("S&cope"), m_scope);
    form->addRow(tr("&Secret from"), m_secretStore);
    form->addRow(tr("Variable or &file"), m_secretName);
    const QList<int> withSecret{int(T::ApiKey), int(T::Bearer), int(T::Basic),
                                int(T::OAuth2ClientCredentials)};
    m_authOnly = {{m_header, {int(T::ApiKey)}},
                  {m_user, {int(T::Basic), int(T::OAuth2ClientCredentials)}},
                  {m_tokenUrl, {int(T::OAuth2ClientCredentials)}},
                  {m_scope, {int(T::OAuth2ClientCredentials)}},
                  {m_secretStore, withSecret},
                  {m_secretName, withSecret}};
    const QList<QWidget *> fields = m_authOnly.keys();
    for (QWidget *field : fields)
        m_authOnly.insert(form->labelForField(field), m_authOnly.value(field));
    connect(m_authType, &QComboBox::currentIndexChanged, this, &ConnectionPage::updateVisibleFields);
    connect(m_secretStore, &QComboBox::currentIndexChanged, this, &ConnectionPage::updateVisibleFields);
}

void ConnectionPage::updateVisibleFields()
{
    const bool rest = m_kind->currentData().toInt() == int(ConnectionProfile::Kind::Rest);
    for (QWidget *w : std::as_const(m_restOnly))
        w->setVisible(rest);
    m_url->setPlaceholderText(rest ? QStringLiteral("https://erp.example.com/api/v1")
                                   : QStringLiteral("wss://feed.example.com/events"));
    const int auth = m_authType->currentData().toInt();
    for (auto it = m_authOnly.cbegin(); it != m_authOnly.cend(); ++it)
        it.key()->setVisible(it.value().contains(auth));
    m_secretName->setPlaceholderText(m_secretStore->currentData().toString() == QLatin1String("env")
                                         ? QStringLiteral("ERP_TOKEN")
                                         : QStringLiteral("/home/me/.config/erp-token"));
}

bool ConnectionPage::isComplete() const
{
    return !m_name->text().trimmed().isEmpty() && !m_url->text().trimmed().isEmpty();
}

bool ConnectionPage::validatePage()
{
    const auto p = profile();
    m_problem->setText(p ? QString() : p.error());
    return p.ok();
}

AuthSettings ConnectionPage::auth() const
{
    AuthSettings a;
    a.type = AuthSettings::Type(m_authType->currentData().toInt());
    a.header = m_header->text().trimmed().toLatin1();
    a.user = m_user->text().trimmed();
    a.tokenUrl = QUrl(m_tokenUrl->text().trimmed());
    a.scope = m_scope->text().trimmed();
    return a;
}

QString ConnectionPage::mappingFile() const
{
    // One of Sightline's own mappings is written with its full path: sync finds it wherever the
    // profiles file lives. A name the user typed is kept as typed (beside the profiles file).
    const QString name = m_mapping->currentText().trimmed();
    const QString shipped = resourcePath(QStringLiteral("mappings/") + name);
    return !shipped.isEmpty() && QFileInfo(shipped).isFile() ? shipped : name;
}

QString ConnectionPage::problemWith(const ConnectionProfile &p) const
{
    using T = AuthSettings::Type;
    const bool rest = p.kind == ConnectionProfile::Kind::Rest;
    const QString scheme = p.url.scheme();
    const bool schemeFits = rest ? (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
                                 : (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"));
    if (!p.url.isValid() || p.url.host().isEmpty() || !schemeFits)
        return rest ? tr("Give the full address of the API, starting with http:// or https://.")
                    : tr("Give the full address of the feed, starting with ws:// or wss://.");
    if (rest && m_resourcePath->text().trimmed().isEmpty())
        return tr("Say where the records are, as a path such as /sales-orders.");
    if (rest && m_mapping->currentText().trimmed().isEmpty())
        return tr("Choose the mapping file that turns its records into events.");
    if ((p.auth.type == T::Basic || p.auth.type == T::OAuth2ClientCredentials) && p.auth.user.isEmpty())
        return p.auth.type == T::Basic ? tr("Give the user name.") : tr("Give the OAuth2 client id (user).");
    if (p.auth.type == T::OAuth2ClientCredentials &&
        (!p.auth.tokenUrl.isValid() || p.auth.tokenUrl.host().isEmpty()))
        return tr("Give the OAuth2 server's token URL.");
    if (p.auth.type != T::None && m_secretName->text().trimmed().isEmpty())
        return tr("Say which environment variable or file holds the secret.");
    return {};
}

Result<ConnectionProfile> ConnectionPage::profile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.kind = ConnectionProfile::Kind(m_kind->currentData().toInt());
    p.url = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
    p.auth = auth();
    if (const QString problem = problemWith(p); !problem.isEmpty())
        return Error{problem};
    if (p.auth.type != AuthSettings::Type::None) {
        auto ref =
            SecretRef::parse(m_secretStore->currentData().toString() + u':' + m_secretName->text().trimmed());
        if (!ref)
            return Error{ref.error()};
        p.auth.secret = ref.value();
    }
    if (p.kind == ConnectionProfile::Kind::Rest)
        p.resources = {RestResource{m_resourcePath->text().trimmed(), mappingFile(), {}, {}, {}}};
    // The profile reader's own rules have the last word: what it refuses, the wizard refuses.
    const QString file = QStringLiteral("connections.json");
    auto checked = parseConnectionProfiles(connectionProfilesToJson({p}), file);
    if (!checked)
        return Error{
            QString(checked.error()).remove(QStringLiteral("%1: connection '%2': ").arg(file, p.name))};
    return checked->constFirst();
}

TestPage::TestPage(ConnectionTester *tester, QWidget *parent) : QWizardPage(parent), m_tester(tester)
{
    setTitle(tr("Connection test"));
    setSubTitle(tr("Sightline asks the system for one record (or opens the feed) with these settings."));
    m_run = named(new QPushButton(tr("&Test again"), this), "runTest");
    m_status = named(new QLabel(this), "testStatus");
    m_detail = named(new QLabel(this), "testDetail");
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bigger = m_status->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.3);
    bigger.setBold(true);
    m_status->setFont(bigger);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_detail);
    layout->addWidget(m_run, 0, Qt::AlignLeft);
    layout->addStretch();
    connect(m_run, &QPushButton::clicked, this, &TestPage::runTest);
    connect(m_tester, &ConnectionTester::finished, this, [this](quint64 job, const ConnectionTestResult &r) {
        if (job == m_job)
            show(r);
    });
}

void TestPage::initializePage()
{
    runTest();
}

bool TestPage::isComplete() const
{
    return !m_testing; // a failed test may still be saved and fixed later; the page says so
}

void TestPage::runTest()
{
    const auto profile = firstRun(wizard())->connectionProfile();
    if (!profile)
        return;
    m_testing = true;
    m_run->setEnabled(false);
    m_status->setStyleSheet({});
    m_status->setText(tr("Testing %1 …").arg(profile->url.toDisplayString(QUrl::RemoveUserInfo)));
    m_detail->clear();
    m_job = m_tester->test(profile.value());
    Q_EMIT completeChanged();
}

void TestPage::show(const ConnectionTestResult &r)
{
    m_testing = false;
    m_run->setEnabled(true);
    m_status->setText(r.ok() ? tr("✔ Connected") : tr("✘ Not connected"));
    m_status->setStyleSheet(
        QStringLiteral("color: %1").arg(r.ok() ? QStringLiteral("#2e7d32") : Theme::breached().name()));
    m_detail->setText(r.ok()
                          ? tr("%1 in %2 ms.").arg(r.summary).arg(r.elapsedMs)
                          : tr("%1\n\nGo back to change the settings, or finish and save them as they are: "
                               "the console shows the connection's state and retries.")
                                .arg(r.summary));
    Q_EMIT completeChanged();
    Q_EMIT tested(r.ok());
}

DonePage::DonePage(QWidget *parent) : QWizardPage(parent)
{
    setTitle(tr("Ready"));
    m_summary = named(new QLabel(this), "summary");
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addStretch();
}

void DonePage::initializePage()
{
    const FirstRunWizard *w = firstRun(wizard());
    const QString file = QDir::toNativeSeparators(w->profilesPath());
    if (w->demoChosen()) {
        m_summary->setText(tr("Sightline will start its demo sandbox each time the console opens and connect "
                              "to it.\n\nFinish writes this choice to\n%1\nTo connect real systems later, "
                              "replace that file with your connection profiles, or delete it to see this "
                              "wizard again.")
                               .arg(file));
        return;
    }
    const auto p = w->connectionProfile();
    m_summary->setText(
        tr("Finish saves the connection '%1' (%2) to\n%3\n\nIts secret stays where it is (%4); "
           "the file only names it.")
            .arg(p ? p->name : QString(), p ? p->url.toDisplayString() : QString(), file,
                 p && p->auth.secret ? p->auth.secret->describe() : tr("no secret")));
}

} // namespace sightline
