#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace sightline {

// The kinds of business document a trace is made of (SPEC.md §1).
enum class DocumentKind {
    Quote,
    SalesOrder,
    SalesOrderLine,
    Release,
    Shipment,
    Invoice,
    Return,
    PurchaseOrder,
    PurchaseOrderLine,
    PoAcknowledgment,
    Asn,
    Receipt,
    SupplierInvoice,
};

// The canonical name, as in payloads, mappings and the store: "sales_order", "asn", ...
QString documentKindName(DocumentKind kind);
// The user's words: "Sales order", "ASN", ...
QString documentKindLabel(DocumentKind kind);
std::optional<DocumentKind> documentKindFromName(QStringView name);
QList<DocumentKind> allDocumentKinds();

// One business document, named by its kind and the key its owning system gives it.
struct DocumentRef
{
    DocumentKind kind = DocumentKind::SalesOrder;
    QString key;

    friend bool operator==(const DocumentRef &, const DocumentRef &) = default;
};

// Another number the same document is known by: a customer's PO reference, an SSCC, a tracking number.
struct Identifier
{
    QString scheme; // "customer_po", "tracking", "sscc", ... ("key" for the document's own key)
    QString value;

    friend bool operator==(const Identifier &, const Identifier &) = default;
};

// A reference from one document to another, found in a payload or a message's correlation id.
struct LinkRef
{
    DocumentRef to;
    QString relation; // "fulfils", "ships", "acknowledges", ... free text from the mapping

    friend bool operator==(const LinkRef &, const LinkRef &) = default;
};

// Case-folded form under which identifiers are found, so that "so-1001" finds "SO-1001".
QString foldIdentifier(QStringView value);

} // namespace sightline

Q_DECLARE_METATYPE(sightline::DocumentRef)
