#!/usr/bin/env python3
"""Writes a realistic, deterministic CloudEvents JSON Lines feed for the screenshot store.

Sales orders flow ERP -> WMS -> carrier -> ERP invoice; purchase orders flow ERP -> supplier portal
-> WMS receipt -> invoice match. Orders stop at different stages; a few are late, one has a
cross-system conflict (the ERP still says packing after the WMS shipped). Each event carries the
time it was received in the extension attribute "demoreceived" (the demo store builder uses it as
the arrival time, so the lag column is realistic). Usage: make_demo.py OUT.jsonl [ORDERS]
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)
rng = random.Random(20261120)
seq = 0
out = []

CUSTOMERS = ["Acme Retail", "Brightline Hardware", "Cobalt Home Stores", "Delta Industrial Supply",
             "Evergreen Garden Centers", "Fulton Builders Merchants", "Granite Tools Co", "Harbor Marine Parts"]
SUPPLIERS = ["Nordic Fasteners AB", "Pacific Adhesives Inc", "Rhine Power Tools GmbH", "Summit Abrasives Ltd",
             "Tidewater Packaging"]
WAREHOUSES = ["WH-EAST", "WH-WEST", "WH-CENTRAL"]
SKUS = ["BOLT-M8-50", "DRILL-18V-KIT", "TAPE-PRO-48", "SAW-BLADE-254", "GLUE-PU-310", "ANCHOR-10X80"]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def emit(system, milestone, when, kind, key, status, partner, warehouse=None, identifiers=None, links=None,
         extra=None, lag=None):
    global seq
    seq += 1
    if lag is None:
        lag = timedelta(seconds=rng.randint(2, 150))
    data = {"document": {"kind": kind, "key": key}, "system": system, "status": status, "partner": partner}
    if identifiers:
        data["document"]["identifiers"] = identifiers
    if links:
        data["links"] = [{"kind": k, "key": v, "relation": r} for k, v, r in links]
    if warehouse:
        data["warehouse"] = warehouse
    if extra:
        data.update(extra)
    event = {"specversion": "1.0", "id": f"{system}-{seq:07d}", "source": f"demo/{system}",
             "type": f"com.demo.{system}.{milestone}", "time": iso(when), "subject": f"{kind}/{key}",
             "datacontenttype": "application/json", "demoreceived": iso(when + lag), "data": data}
    out.append((when, event))
    return event


def sales_order(n, start, stage, customer, warehouse, conflict=False, late_carrier=False):
    so = f"SO-{n}"
    rel = f"REL-{n - 10000 + 500}"
    sh = f"SH-{n + 78097}"
    inv = f"INV-{n + 60000}"
    cpo = f"CPO-{rng.randint(100, 999)}-{n % 97:02d}"
    tracking = f"1Z999AA1{n:010d}"
    lines = [{"line": i + 1, "sku": rng.choice(SKUS), "quantity": rng.randint(1, 40) * 5,
              "unit_price": round(rng.uniform(2, 240), 2)} for i in range(rng.randint(1, 4))]
    line_links = [("sales_order_line", f"{so}/{i + 1}", "has_line") for i in range(len(lines))]
    t = start
    emit("erp", "order.created", t, "sales_order", so, "entered", customer, warehouse, {"customer_po": cpo},
         line_links, {"lines": lines, "requested_delivery": iso(start + timedelta(days=4))})
    if stage < 1:
        return so
    t += timedelta(minutes=rng.randint(5, 50))
    emit("erp", "order.validated", t, "sales_order", so, "credit ok", customer, warehouse)
    if stage < 2:
        return so
    t += timedelta(minutes=rng.randint(20, 90))
    emit("erp", "order.released", t, "sales_order", so, "released", customer, warehouse, None,
         [("release", rel, "released_as")], {"wave": f"W{rng.randint(10, 99)}"})
    emit("broker", "message.sent", t + timedelta(seconds=2), "release", rel, "queued", customer, warehouse,
         extra={"queue": "erp.to.wms.releases"})
    emit("broker", "message.delivered", t + timedelta(seconds=9), "release", rel, "acked by wms", customer, warehouse)
    if stage < 3:
        return so
    t += timedelta(minutes=rng.randint(60, 200))
    emit("wms", "pick.confirmed", t, "release", rel, "picked", customer, warehouse,
         extra={"picker": f"P{rng.randint(100, 140)}", "lines_picked": len(lines)})
    if stage < 4:
        return so
    t += timedelta(minutes=rng.randint(20, 70))
    emit("wms", "pack.confirmed", t, "release", rel, "packed", customer, warehouse, extra={"cartons": rng.randint(1, 6)})
    if conflict:
        emit("erp", "pack.confirmed", t + timedelta(minutes=1), "shipment", sh, "packing", customer, warehouse,
             {"tracking": tracking}, [("release", rel, "ships")])
    if stage < 5:
        return so
    t += timedelta(minutes=rng.randint(30, 90))
    emit("wms", "shipment.dispatched", t, "shipment", sh, "shipped", customer, warehouse,
         {"tracking": tracking, "sscc": f"00340123450{n:07d}"}, [("release", rel, "ships")],
         {"carrier": "UPS", "service": "Ground", "cartons": rng.randint(1, 6)})
    if stage < 6:
        return so
    t += timedelta(hours=rng.randint(20, 60) if not late_carrier else 80)
    emit("carrier", "shipment.delivered", t, "shipment", sh, "delivered", customer, warehouse, {"tracking": tracking},
         extra={"signed_by": rng.choice(["J. SMITH", "R. PATEL", "DOCK 4", "M. GARCIA"])},
         lag=timedelta(minutes=rng.randint(3, 45)))
    if stage < 7:
        return so
    t += timedelta(hours=rng.randint(1, 12))
    emit("erp", "invoice.posted", t, "invoice", inv, "posted", customer, warehouse, None,
         [("sales_order", so, "invoices")], {"amount": round(sum(l["quantity"] * l["unit_price"] for l in lines), 2),
                                           "currency": "USD"})
    return so


def purchase_order(n, start, stage, supplier, warehouse, late_ack=False):
    po = f"PO-{n}"
    ack = f"ACK-{n - 4500000 + 9000}"
    asn = f"ASN-{n - 4500000 + 7000}"
    rc = f"RC-{n - 4500000 + 3000}"
    sinv = f"SINV-{n - 4500000 + 1200}"
    lines = [{"line": i + 1, "sku": rng.choice(SKUS), "quantity": rng.randint(10, 200) * 10} for i in
             range(rng.randint(1, 3))]
    t = start
    emit("erp", "po.created", t, "purchase_order", po, "created", supplier, warehouse, None,
         [("purchase_order_line", f"{po}/{i + 1}", "has_line") for i in range(len(lines))], {"lines": lines})
    t += timedelta(minutes=rng.randint(2, 40))
    emit("erp", "po.sent", t, "purchase_order", po, "sent (EDI 850)", supplier, warehouse)
    if stage < 2:
        return po
    t += timedelta(hours=rng.randint(2, 20) if not late_ack else 30)
    emit("portal", "po.acknowledged", t, "po_acknowledgment", ack, "accepted", supplier, warehouse, None,
         [("purchase_order", po, "acknowledges")], {"promised_date": iso(t + timedelta(days=5))})
    if stage < 3:
        return po
    t += timedelta(days=rng.randint(2, 5))
    emit("portal", "asn.received", t, "asn", asn, "despatched", supplier, warehouse,
         {"sscc": f"00590123450{n % 10000000:07d}"}, [("purchase_order", po, "ships")],
         {"lines": [{"line": l["line"], "quantity": l["quantity"]} for l in lines]})
    if stage < 4:
        return po
    t += timedelta(hours=rng.randint(10, 50))
    emit("wms", "receipt.posted", t, "receipt", rc, "received", supplier, warehouse, None, [("asn", asn, "receives")])
    if stage < 5:
        return po
    t += timedelta(days=rng.randint(1, 3))
    emit("portal", "invoice.received", t, "supplier_invoice", sinv, "received (EDI 810)", supplier, warehouse, None,
         [("purchase_order", po, "bills")])
    if stage < 6:
        return po
    t += timedelta(hours=rng.randint(2, 30))
    emit("erp", "invoice.matched", t, "supplier_invoice", sinv, "3-way match ok", supplier, warehouse)
    return po


def main():
    path = sys.argv[1]
    orders = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    # The orders the README shows.
    sales_order(10023, datetime(2026, 11, 18, 8, 15, tzinfo=timezone.utc), 5, "Acme Retail", "WH-EAST", conflict=True)
    sales_order(10024, datetime(2026, 11, 20, 9, 5, tzinfo=timezone.utc), 2, "Acme Retail", "WH-EAST")
    purchase_order(4500123, datetime(2026, 11, 18, 10, 0, tzinfo=timezone.utc), 1, "Nordic Fasteners AB", "WH-EAST")
    purchase_order(4500124, datetime(2026, 11, 9, 9, 0, tzinfo=timezone.utc), 6, "Nordic Fasteners AB", "WH-WEST")
    for i in range(orders):
        start = NOW - timedelta(hours=rng.randint(4, 24 * 12), minutes=rng.randint(0, 59))
        sales_order(10100 + i, start, rng.choice([1, 2, 3, 4, 5, 5, 6, 6, 7, 7, 7]), rng.choice(CUSTOMERS),
                    rng.choice(WAREHOUSES), conflict=rng.random() < 0.04, late_carrier=rng.random() < 0.1)
    for i in range(orders // 3):
        start = NOW - timedelta(hours=rng.randint(6, 24 * 20))
        purchase_order(4500200 + i, start, rng.choice([1, 2, 3, 4, 5, 6, 6]), rng.choice(SUPPLIERS),
                       rng.choice(WAREHOUSES), late_ack=rng.random() < 0.15)
    # Arrival order, not occurrence order: the store sorts by occurrence.
    out.sort(key=lambda pair: pair[1]["demoreceived"])
    with open(path, "w") as f:
        for _, event in out:
            f.write(json.dumps(event, separators=(",", ":")) + "\n")
        # One repeat, as feeds do.
        f.write(json.dumps(out[5][1], separators=(",", ":")) + "\n")
    print(f"{len(out)} events -> {path}")


if __name__ == "__main__":
    main()
