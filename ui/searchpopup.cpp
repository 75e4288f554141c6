#include "ui/searchpopup.h"

#include "models/trace/searchresultmodel.h"
#include "models/trace/tracereader.h"
#include "ui/consolesettings.h"

#include <QGraphicsDropShadowEffect>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace sightline {
namespace {

// Group headings (document kinds) in bold, in the muted text colour.
class GroupDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(SearchResultModel::IsGroupRole).toBool()) {
            option->font.setBold(true);
            option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
        }
    }
};

} // namespace

SearchPopup::SearchPopup(TraceReader *reader, QWidget *parent)
    : QFrame(parent), m_reader(reader), m_model(new SearchResultModel(this))
{
    setObjectName(QStringLiteral("searchPopup"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto *shadow = new QGraphicsDropShadowEffect(this);
    shadow->setBlurRadius(24);
    shadow->setOffset(0, 4);
    shadow->setColor(QColor(0, 0, 0, 90));
    setGraphicsEffect(shadow);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 8);
    m_edit = new QLineEdit(this);
    m_edit->setPlaceholderText(
        tr("Order, PO, ASN, shipment, tracking or invoice number, customer or supplier…"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setAccessibleName(tr("Search anywhere"));
    m_edit->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);
    QFont f = m_edit->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_edit->setFont(f);
    m_edit->setMinimumHeight(m_edit->fontMetrics().height() + 14);
    m_results = new QTreeView(this);
    m_results->setModel(m_model);
    m_results->setHeaderHidden(true);
    m_results->setRootIsDecorated(false);
    m_results->setItemsExpandable(false);
    m_results->setUniformRowHeights(true);
    m_results->setFocusPolicy(Qt::NoFocus);
    m_results->setAccessibleName(tr("Search results"));
    m_results->setItemDelegate(new GroupDelegate(m_results));
    m_results->header()->setStretchLastSection(false);
    m_results->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_results->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_status = new QLabel(this);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_edit);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_status);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        m_lastQuery = m_edit->text().trimmed();
        m_reader->search(m_lastQuery);
    });
    connect(m_edit, &QLineEdit::textChanged, this, &SearchPopup::onTextChanged);
    connect(m_reader, &TraceReader::searchReady, this, &SearchPopup::onResults);
    connect(m_results, &QTreeView::clicked, this, &SearchPopup::activate);
    connect(m_model, &QAbstractItemModel::modelReset, m_results, &QTreeView::expandAll);
    m_edit->installEventFilter(this);
    hide();
}

void SearchPopup::place()
{
    QWidget *host = parentWidget();
    const int w = std::min(720, host->width() - 40);
    const int h = std::min(460, host->height() - 80);
    setGeometry((host->width() - w) / 2, 56, w, h);
}

void SearchPopup::popup(const QString &text)
{
    place();
    show();
    raise();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    if (!text.isEmpty())
        m_edit->setText(text);
    else
        m_edit->selectAll();
    if (m_edit->text().trimmed().isEmpty())
        showSuggestions();
}

void SearchPopup::dismiss()
{
    m_debounce.stop();
    hide();
}

void SearchPopup::setQuery(const QString &text)
{
    m_edit->setText(text);
}

void SearchPopup::showSuggestions()
{
    m_model->setSuggestions(ConsoleSettings::recentSearches(), ConsoleSettings::pinnedTraces());
    m_status->setText(m_model->hitCount()
                          ? tr("Pinned traces and recent searches")
                          : tr("Type any number a document is known by, or a partner's name"));
    m_results->setCurrentIndex(m_model->firstHit());
}

void SearchPopup::onTextChanged()
{
    if (m_edit->text().trimmed().isEmpty()) {
        m_debounce.stop();
        m_lastQuery.clear();
        m_reader->search(QString()); // supersedes any search in flight
        showSuggestions();
        return;
    }
    m_status->setText(tr("Searching…"));
    m_debounce.start();
}

void SearchPopup::onResults(const SearchResults &results)
{
    if (results.query != m_lastQuery || results.query.isEmpty())
        return;
    m_model->setResults(results);
    m_results->setCurrentIndex(m_model->firstHit());
    const int hits = m_model->hitCount();
    m_status->setText(
        hits ? tr("%n result(s) · Enter opens the trace · ↑↓ to choose · Esc closes", nullptr, hits)
             : tr("Nothing known by \"%1\"").arg(results.query));
    Q_EMIT resultsShown(results.query, hits);
}

void SearchPopup::activate(const QModelIndex &index)
{
    if (!index.isValid() || index.data(SearchResultModel::IsGroupRole).toBool())
        return;
    const QModelIndex first = index.siblingAtColumn(0);
    const qint64 traceId = first.data(SearchResultModel::TraceIdRole).toLongLong();
    if (traceId == 0) { // a recent search: run it again
        m_edit->setText(first.data(SearchResultModel::QueryRole).toString());
        return;
    }
    if (!m_edit->text().trimmed().isEmpty())
        ConsoleSettings::addRecentSearch(m_edit->text());
    dismiss();
    Q_EMIT traceChosen(traceId, first.data(Qt::DisplayRole).toString());
}

void SearchPopup::moveSelection(int delta)
{
    QList<QModelIndex> hits;
    for (int g = 0; g < m_model->rowCount(); ++g) {
        const QModelIndex group = m_model->index(g, 0);
        for (int r = 0; r < m_model->rowCount(group); ++r)
            hits.append(m_model->index(r, 0, group));
    }
    if (hits.isEmpty())
        return;
    const int at = static_cast<int>(hits.indexOf(m_results->currentIndex().siblingAtColumn(0)));
    const int next = std::clamp(at + delta, 0, static_cast<int>(hits.size()) - 1);
    m_results->setCurrentIndex(hits[next]);
    m_results->scrollTo(hits[next]);
}

bool SearchPopup::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Escape:
            dismiss();
            return true;
        case Qt::Key_Down:
            moveSelection(1);
            return true;
        case Qt::Key_Up:
            moveSelection(-1);
            return true;
        case Qt::Key_PageDown:
            moveSelection(8);
            return true;
        case Qt::Key_PageUp:
            moveSelection(-8);
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (m_debounce.isActive()) { // Enter before the results: search now, open the first
                m_debounce.stop();
                m_lastQuery = m_edit->text().trimmed();
                m_reader->search(m_lastQuery);
                connect(
                    this, &SearchPopup::resultsShown, this, [this] { activate(m_results->currentIndex()); },
                    Qt::SingleShotConnection);
                return true;
            }
            activate(m_results->currentIndex());
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace sightline
