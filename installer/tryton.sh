#!/usr/bin/env bash
# tryton.sh - runs a private Tryton 6.0 ERP (Debian 12's packages) on 127.0.0.1 for Sightline's
# integration tests and for trying the Tryton connector by hand.
#
#   tryton.sh start DIR PORT   write DIR/trytond.conf (SQLite database in DIR, web listener on
#                              127.0.0.1:PORT only), create the database "sightline" with the
#                              sale, purchase and stock modules, start trytond in the background
#                              (pid file DIR/trytond.pid) and wait until it answers JSON-RPC.
#   tryton.sh seed DIR PORT    create demo data through JSON-RPC (see seed() below) and print
#                              one line per record made; refuses a database that has a company.
#   tryton.sh stop DIR         stop the trytond whose pid file is in DIR (nothing else).
#
# TRYTON_OWNER_PID=<pid> (start): the server is also stopped when that process ends, so that a
# test that crashes or is killed leaves nothing running.
#
# The admin password is read from DIR/admin.pass (written at start with TRYTON_PASSWORD, default
# "sightline-admin"); trytond-admin reads it through TRYTONPASSFILE. The packages are
# tryton-server tryton-modules-sale tryton-modules-purchase tryton-modules-stock
# (installer/deps.sh). On a machine with systemd the package starts its own service on port 8000:
# this script never uses it, pick another port.
set -euo pipefail

DB=sightline
cmd=${1:-}
dir=${2:-}

die() { echo "tryton.sh: $*" >&2; exit 1; }
usage() { die "usage: tryton.sh start DIR PORT | seed DIR PORT | stop DIR"; }

[ -n "$cmd" ] && [ -n "$dir" ] || usage

# One JSON-RPC helper for waiting and seeding: python3 comes with trytond.
rpc_python() { # $1 = port, then the python program on stdin
    TRYTON_URL="http://127.0.0.1:$1/" TRYTON_DB="$DB" TRYTON_PASSFILE="$dir/admin.pass" python3 -
}

start() {
    local port=${1:-}
    [ -n "$port" ] || usage
    command -v trytond >/dev/null || die "trytond is not installed (installer/deps.sh installs tryton-server)"
    mkdir -p "$dir/db"
    dir=$(cd "$dir" && pwd)
    cat > "$dir/trytond.conf" <<CONF
[database]
uri = sqlite://
path = $dir/db
language = en

[web]
listen = 127.0.0.1:$port

[session]
timeout = 3600
CONF
    printf '%s\n' "${TRYTON_PASSWORD:-sightline-admin}" > "$dir/admin.pass"
    chmod 600 "$dir/admin.pass"
    if [ ! -s "$dir/db/$DB.sqlite" ]; then
        # The SQLite backend opens only a file that exists.
        : > "$dir/db/$DB.sqlite"
        if ! TRYTONPASSFILE="$dir/admin.pass" trytond-admin -c "$dir/trytond.conf" -d "$DB" \
            -u sale purchase stock --activate-dependencies --email admin@example.com \
            > "$dir/admin.log" 2>&1; then
            rm -f "$dir/db/$DB.sqlite"
            tail -20 "$dir/admin.log" >&2
            die "trytond-admin failed (whole log: $dir/admin.log)"
        fi
    fi
    if [ -f "$dir/trytond.pid" ] && kill -0 "$(cat "$dir/trytond.pid")" 2>/dev/null; then
        die "a trytond started from $dir runs already (pid $(cat "$dir/trytond.pid"))"
    fi
    trytond -c "$dir/trytond.conf" > "$dir/trytond.log" 2>&1 < /dev/null &
    local pid=$!
    echo "$pid" > "$dir/trytond.pid"
    if [ -n "${TRYTON_OWNER_PID:-}" ]; then
        # A test that crashes or is killed by its timeout cannot stop the server: this watcher does
        # when the owner process is gone.
        ( while kill -0 "$TRYTON_OWNER_PID" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
          kill "$pid" 2>/dev/null ) > /dev/null 2>&1 < /dev/null &
    fi
    # Wait until it answers (at most 60 s), or until it dies.
    for _ in $(seq 1 600); do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -20 "$dir/trytond.log" >&2
            rm -f "$dir/trytond.pid"
            die "trytond exited (is port $port taken?); log: $dir/trytond.log"
        fi
        if rpc_python "$port" <<'PY' 2>/dev/null; then
import json, os, sys, urllib.request
req = urllib.request.Request(os.environ["TRYTON_URL"], method="POST",
    data=json.dumps({"id": 0, "method": "common.server.version", "params": []}).encode(),
    headers={"Content-Type": "application/json"})
sys.exit(0 if "result" in json.load(urllib.request.urlopen(req, timeout=2)) else 1)
PY
            echo "tryton ready: url http://127.0.0.1:$port/ database $DB user admin pid $pid"
            return
        fi
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    rm -f "$dir/trytond.pid"
    die "trytond did not answer within 60 s; log: $dir/trytond.log"
}

stop() {
    local pidfile="$dir/trytond.pid"
    [ -f "$pidfile" ] || { echo "tryton.sh: nothing to stop in $dir"; return; }
    local pid
    pid=$(cat "$pidfile")
    # Only a trytond: never another process that took the number since.
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q trytond; then
        kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pidfile"
    echo "tryton.sh: stopped"
}

# Demo data, all through Tryton's own JSON-RPC API, as a user's clerks would make it:
# currency USD, company "Loopback Ops Inc.", customer "ACME Retail", supplier "Globex Supplies",
# product "Widget"; purchase (reference SUP-SO-99) of 20 received through supplier shipment
# DESADV-0001 (its reference: the supplier's despatch advice number) so that stock exists;
# sale PO-4711 (customer's PO) quoted, confirmed, its shipment assigned, picked, packed, done;
# sale PO-4712 quoted and confirmed, its shipment waiting.
seed() {
    local port=${1:-}
    [ -n "$port" ] || usage
    rpc_python "$port" <<'PY'
import base64, json, os, sys, urllib.error, urllib.request

URL = os.environ["TRYTON_URL"] + os.environ["TRYTON_DB"] + "/"
PASSWORD = open(os.environ["TRYTON_PASSFILE"]).read().strip()
auth = None
context = {}

def post(method, params):
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = auth
    req = urllib.request.Request(URL, method="POST", headers=headers,
        data=json.dumps({"id": 1, "method": method, "params": params}).encode())
    answer = json.load(urllib.request.urlopen(req, timeout=60))
    if "error" in answer:
        sys.exit("tryton.sh seed: %s failed: %s" % (method, json.dumps(answer["error"])[:500]))
    return answer["result"]

def call(model_method, *params):
    return post("model." + model_method, list(params) + [context])

def dec(text):
    return {"__class__": "Decimal", "decimal": text}

user_id, session = post("common.db.login", ["admin", {"password": PASSWORD}, "en"])
auth = "Session " + base64.b64encode(("admin:%s:%s" % (user_id, session)).encode()).decode()

if call("company.company.search", [], 0, None, None):
    sys.exit("tryton.sh seed: the database has a company already")
usd = call("currency.currency.create", [{"name": "US Dollar", "code": "USD", "symbol": "$",
    "rounding": dec("0.01"), "digits": 2}])[0]
def party(name, street, city):
    return call("party.party.create", [{"name": name,
        "addresses": [["create", [{"street": street, "city": city}]]]}])[0]
company_party = party("Loopback Ops Inc.", "1 Main St", "Springfield")
company = call("company.company.create", [{"party": company_party, "currency": usd}])[0]
call("res.user.write", [user_id], {"companies": [["add", [company]]], "company": company})
context = {"company": company}
customer = party("ACME Retail", "42 Dock Rd", "Portsmouth")
supplier = party("Globex Supplies", "9 Harbour Way", "Rotterdam")
def address(p):
    return call("party.address.search", [["party", "=", p]], 0, 1, None)[0]
unit = call("product.uom.search", [["symbol", "=", "u"]], 0, 1, None)[0]
warehouse = call("stock.location.search", [["code", "=", "WH"]], 0, 1, None)[0]
call("product.template.create", [{"name": "Widget", "code": "WID", "type": "goods",
    "default_uom": unit, "salable": True, "sale_uom": unit, "purchasable": True,
    "purchase_uom": unit, "list_price": dec("25.00"),
    "products": [["create", [{"cost_price": dec("10.00")}]]]}])
product = call("product.product.search", [["template.code", "=", "WID"]], 0, 1, None)[0]
def line(quantity, price):
    return [["create", [{"type": "line", "product": product, "quantity": quantity, "unit": unit,
        "unit_price": dec(price), "description": "Widget"}]]]

purchase = call("purchase.purchase.create", [{"company": company, "party": supplier,
    "invoice_address": address(supplier), "currency": usd, "warehouse": warehouse,
    "invoice_method": "manual", "reference": "SUP-SO-99", "lines": line(20, "10.00")}])[0]
call("purchase.purchase.quote", [purchase])
call("purchase.purchase.confirm", [purchase])
moves = call("purchase.purchase.read", [purchase], ["moves"])[0]["moves"]
receipt = call("stock.shipment.in.create", [{"company": company, "supplier": supplier,
    "warehouse": warehouse, "reference": "DESADV-0001", "incoming_moves": [["add", moves]]}])[0]
call("stock.shipment.in.receive", [receipt])
call("stock.shipment.in.done", [receipt])

sales = {}
for reference in ("PO-4711", "PO-4712"):
    sale = call("sale.sale.create", [{"company": company, "party": customer, "currency": usd,
        "invoice_address": address(customer), "shipment_address": address(customer),
        "warehouse": warehouse, "invoice_method": "manual", "shipment_method": "order",
        "reference": reference, "lines": line(5, "25.00")}])[0]
    call("sale.sale.quote", [sale])
    # confirm queues sale.process, which runs after the commit (no worker configured) and
    # creates the customer shipment
    call("sale.sale.confirm", [sale])
    sales[reference] = sale
shipped = call("sale.sale.read", [sales["PO-4711"]], ["shipments"])[0]["shipments"][0]
for step in ("assign_try", "pick", "pack", "done"):
    call("stock.shipment.out." + step, [shipped])

for s in call("sale.sale.search_read", [], 0, None, [["id", "ASC"]],
        ["number", "reference", "state", "shipments"]):
    print("sale.sale", json.dumps(s, sort_keys=True))
for s in call("stock.shipment.out.search_read", [], 0, None, [["id", "ASC"]],
        ["number", "state"]):
    print("stock.shipment.out", json.dumps(s, sort_keys=True))
for s in call("purchase.purchase.search_read", [], 0, None, None, ["number", "reference", "state"]):
    print("purchase.purchase", json.dumps(s, sort_keys=True))
for s in call("stock.shipment.in.search_read", [], 0, None, None, ["number", "reference", "state"]):
    print("stock.shipment.in", json.dumps(s, sort_keys=True))
PY
}

case "$cmd" in
    start) start "${3:-}" ;;
    seed) seed "${3:-}" ;;
    stop) stop ;;
    *) usage ;;
esac
