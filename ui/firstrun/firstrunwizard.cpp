#include "ui/firstrun/firstrunwizard.h"

#include "connectors/setup/connectiontest.h"
#include "connectors/setup/profilewriter.h"
#include "ui/firstrun/firstrunpages.h"
#include "ui/theme.h"

#include <QLabel>
#include <QVBoxLayout>

namespace sightline {
namespace {

template<typename Page> Page *pageOf(const QWizard *wizard, int id)
{
    return static_cast<Page *>(wizard->page(id));
}

} // namespace

FirstRunWizard::FirstRunWizard(QString profilesPath, QWidget *parent)
    : QWizard(parent), m_profilesPath(std::move(profilesPath)), m_tester(new ConnectionTester(this))
{
    setObjectName(QStringLiteral("firstRunWizard"));
    setWindowTitle(tr("Set up Sightline"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPixmap(QWizard::LogoPixmap, QIcon(QStringLiteral(":/icons/sightline.svg")).pixmap(48, 48));
    setPage(ChoicePageId, new ChoicePage(this));
    setPage(ConnectionPageId, new ConnectionPage(this));
    setPage(TestPageId, new TestPage(m_tester, this));
    auto *done = new DonePage(this);
    m_writeError = new QLabel(done);
    m_writeError->setObjectName(QStringLiteral("writeError"));
    m_writeError->setWordWrap(true);
    m_writeError->setStyleSheet(QStringLiteral("color: %1").arg(Theme::breached().name()));
    done->layout()->addWidget(m_writeError);
    setPage(DonePageId, done);
    setStartId(ChoicePageId);
    resize(640, 520);
}

FirstRunWizard::~FirstRunWizard() = default;

bool FirstRunWizard::runIfDue(const QString &profilesPath)
{
    if (!firstRunDue(profilesPath))
        return false;
    FirstRunWizard wizard(profilesPath);
    return wizard.exec() == QDialog::Accepted;
}

bool FirstRunWizard::demoChosen() const
{
    return pageOf<ChoicePage>(this, ChoicePageId)->demoChosen();
}

Result<ConnectionProfile> FirstRunWizard::connectionProfile() const
{
    return pageOf<ConnectionPage>(this, ConnectionPageId)->profile();
}

void FirstRunWizard::accept()
{
    Status written;
    if (demoChosen()) {
        written = writeDemoProfiles(m_profilesPath);
    } else {
        const auto profile = connectionProfile();
        written = profile ? writeConnectionProfiles(m_profilesPath, {profile.value()})
                          : Status(Error{profile.error()});
    }
    if (!written) {
        m_writeError->setText(written.error());
        return;
    }
    Q_EMIT profilesWritten(m_profilesPath);
    QWizard::accept();
}

} // namespace sightline
