#pragma once

// search_read answers as Tryton 6.0 writes them (compact JSON), for tst_trytonrecords. Kept out of
// the test's Q_OBJECT file: moc misreads some raw string literals.

inline constexpr char kSalePage[] =
    R"({"id":3,"result":[{"id":2,"write_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":5,"minute":24,"second":58,"microsecond":263773},"number":"2","create_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":5,"minute":24,"second":57,"microsecond":935627},"state":"processing","shipment_state":"waiting","reference":"PO-4712","sale_date":{"__class__":"date","year":2026,"month":12,"day":1},"total_amount":{"__class__":"Decimal","decimal":"125.00"},"warehouse.":{"code":"WH","id":5},"party.":{"name":"ACME Retail","id":2}},)"
    R"({"id":3,"write_date":null,"number":null,"create_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":6,"minute":0,"second":0,"microsecond":0},"state":"draft","reference":null,"warehouse.":null,"party.":null},)"
    R"({"id":4,"write_date":null,"number":"4","create_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":6,"minute":1,"second":0,"microsecond":5},"state":"on_hold","reference":"PO-9","warehouse.":null,"party.":null},)"
    R"({"id":5,"write_date":"yesterday","number":"5","create_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":6,"minute":1,"second":0,"microsecond":0},"state":"confirmed","reference":"PO-10","warehouse.":null,"party.":null}]})";

inline constexpr char kMovePage[] =
    R"({"id":9, "result": [{"id":3,"origin":"sale.line,1","write_date":null,"create_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":5,"minute":24,"second":57,"microsecond":552292},"state":"done","shipment":"stock.shipment.out,1","shipment.":{"number":"1","id":1},"purchase.":null,"sale.":{"number":"1","id":1}},)"
    R"({"id":4,"origin":"stock.move,3","write_date":null,"create_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":5,"minute":24,"second":57,"microsecond":552292},"state":"done","shipment":"stock.shipment.out,1","shipment.":{"number":"1","id":1},"purchase.":null,"sale.":null},)"
    R"({"id":1,"origin":"purchase.line,1","write_date":null,"create_date":{"__class__":"datetime","year":2026,"month":12,"day":1,"hour":5,"minute":24,"second":55,"microsecond":1},"state":"done","shipment":"stock.shipment.in,1","shipment.":{"number":"1","id":1},"purchase.":{"number":"1","id":1},"sale.":null}]})";
