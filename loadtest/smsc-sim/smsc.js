#!/usr/bin/env node
// A loopback SMSC for the gateway's fault scripts and for trying the gateway by hand, built on the
// npm package `smpp` (node-smpp), so the peer shares no code with the gateway's jsmpp client.
//
//   node smsc.js [--port 0] [--system-id antifraud] [--password secret] [--log FILE]
//                [--throttle-every N] [--receipt-delay-ms 200] [--lifetime-s 600]
//                [--id-format hex|decimal] [--receipt-id-format as-is|hex-to-decimal|decimal-to-hex]
//                [--receipt-before-resp-every N] [--fail-every N] [--expire-every N] [--receipts-log FILE]
//
// Prints "smsc-sim listening on 127.0.0.1:PORT" once bound (port 0 = a free port). Every accepted
// submit_sm is one JSON line in --log: message id, destination, data_coding, esm_class, the UDH
// concatenation IE (ref/total/seq) and the decoded text. A delivery receipt (deliver_sm, esm_class
// 0x04, receipted_message_id TLV, SMPP 3.4 Appendix B text) follows each after --receipt-delay-ms.
// --throttle-every N answers every Nth submit_sm with ESME_RTHROTTLED (0x58). A wrong password gets
// ESME_RINVPASWD (0x0E). A receipt stays pending until its deliver_sm_resp arrives; one sent on a
// session that died is sent again on the next bind, as an SMSC retries an unacknowledged deliver_sm;
// one refused (a negative deliver_sm_resp, e.g. ESME_RTHROTTLED) is sent again 1 s later.
// The process exits by itself after --lifetime-s (bounded, for tests).
//
// Receipt bookkeeping checks (issue 11): --id-format picks submit_sm_resp ids, hex from 0x10000 (default)
// or decimal 1, 2, 3... (the ids that made spelling guesses collide); --receipt-id-format writes the
// receipt's id as the resp id, or converted as some SMSCs do; --receipt-before-resp-every N sends every
// Nth message's receipt before its submit_sm_resp; --fail-every N / --expire-every N give every Nth
// accepted message an UNDELIV / EXPIRED receipt. --receipts-log records, once per message, the receipt
// sent (resp id, receipt id, stat), so a test can compare every job's final state with what was sent.
'use strict';
const fs = require('fs');
const smpp = require('smpp');

function options(argv) {
  const o = { port: 0, systemId: 'antifraud', password: 'secret', log: null, throttleEvery: 0,
    receiptDelayMs: 200, lifetimeS: 600, idFormat: 'hex', receiptIdFormat: 'as-is', receiptBeforeRespEvery: 0,
    failEvery: 0, expireEvery: 0, receiptsLog: null };
  const names = { '--port': 'port', '--system-id': 'systemId', '--password': 'password', '--log': 'log',
    '--throttle-every': 'throttleEvery', '--receipt-delay-ms': 'receiptDelayMs', '--lifetime-s': 'lifetimeS',
    '--id-format': 'idFormat', '--receipt-id-format': 'receiptIdFormat',
    '--receipt-before-resp-every': 'receiptBeforeRespEvery', '--fail-every': 'failEvery',
    '--expire-every': 'expireEvery', '--receipts-log': 'receiptsLog' };
  for (let i = 2; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) {
      console.error(`smsc-sim: unknown or incomplete option '${argv[i]}'`);
      process.exit(2);
    }
    o[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!['hex', 'decimal'].includes(o.idFormat)
      || !['as-is', 'hex-to-decimal', 'decimal-to-hex'].includes(o.receiptIdFormat)) {
    console.error('smsc-sim: --id-format is hex or decimal; --receipt-id-format is as-is, hex-to-decimal or decimal-to-hex');
    process.exit(2);
  }
  return o;
}

const opt = options(process.argv);
const log = opt.log ? fs.createWriteStream(opt.log, { flags: 'a' }) : null;
const receiptsLog = opt.receiptsLog ? fs.createWriteStream(opt.receiptsLog, { flags: 'a' }) : null;
let nextId = opt.idFormat === 'hex' ? 0x10000 : 1;
let submits = 0;
const counts = { binds: 0, bindRejected: 0, accepted: 0, throttled: 0, receipts: 0, receiptsResent: 0,
  receiptsBeforeResp: 0, receiptsRefused: 0, failed: 0, expired: 0 };

// The id a receipt carries for a message whose submit_sm_resp said `id`.
function receiptId(id) {
  switch (opt.receiptIdFormat) {
    case 'hex-to-decimal': return BigInt('0x' + id).toString(10);
    case 'decimal-to-hex': return BigInt(id).toString(16);
    default: return id;
  }
}

// Every Nth accepted message fails or expires; the rest are delivered (message_state, SMPP 3.4 §5.2.28).
function outcome(n) {
  if (opt.failEvery > 0 && n % opt.failEvery === 0) {
    counts.failed++;
    return { stat: 'UNDELIV', state: 5, err: '001' };
  }
  if (opt.expireEvery > 0 && n % opt.expireEvery === 0) {
    counts.expired++;
    return { stat: 'EXPIRED', state: 3, err: '000' };
  }
  return { stat: 'DELIVRD', state: 2, err: '000' };
}
const pendingReceipts = new Map(); // message id -> deliver_sm fields, until acknowledged
const RECEIPT_RETRY_MS = 1000; // after a refused deliver_sm
const sessions = new Set();

function concatenation(udh) {
  // udh is a list of information elements, each [iei, length, ...data]; IE 0x00 is 8-bit-reference
  // concatenation (3GPP TS 23.040 §9.2.3.24.1): reference, total parts, this part's sequence.
  for (const ie of udh || []) {
    if (ie[0] === 0x00 && ie[1] === 3) {
      return { ref: ie[2], total: ie[3], seq: ie[4] };
    }
  }
  return null;
}

function receiptText(id, at, result) {
  const stamp = at.toISOString().replace(/[-T:]/g, '').slice(2, 12); // YYMMDDhhmm
  const dlvrd = result.stat === 'DELIVRD' ? '001' : '000';
  return `id:${id} sub:001 dlvrd:${dlvrd} submit date:${stamp} done date:${stamp} stat:${result.stat} err:${result.err} text:`;
}

function onBind(session, pdu) {
  if (pdu.system_id !== opt.systemId || pdu.password !== opt.password) {
    counts.bindRejected++;
    session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
    session.close();
    return;
  }
  counts.binds++;
  session.bound = pdu.command !== 'bind_transmitter';
  session.send(pdu.response({ system_id: 'smsc-sim' }));
  if (session.bound) {
    for (const [id, fields] of pendingReceipts) {
      counts.receiptsResent++;
      sendReceipt(session, id, fields);
    }
  }
}

function sendReceipt(session, id, fields) {
  session.deliver_sm(Object.assign({}, fields), (resp) => {
    if (resp.command_status === 0 && pendingReceipts.delete(id)) {
      counts.receipts++;
    } else if (resp.command_status !== 0) {
      // Refused (jsmpp answers ESME_RTHROTTLED when its receive queue is full): an SMSC retries a
      // deliver_sm later, not only on the next bind.
      counts.receiptsRefused++;
      setTimeout(() => {
        const target = session.closed ? receiverSession() : session;
        if (target && pendingReceipts.has(id)) {
          sendReceipt(target, id, pendingReceipts.get(id));
        }
      }, RECEIPT_RETRY_MS);
    }
  });
}

function receiverSession() {
  for (const s of sessions) {
    if (s.bound && !s.closed) {
      return s;
    }
  }
  return null;
}

function onSubmit(session, pdu) {
  submits++;
  if (opt.throttleEvery > 0 && submits % opt.throttleEvery === 0) {
    counts.throttled++;
    session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
    return;
  }
  const n = nextId++;
  const id = opt.idFormat === 'hex' ? n.toString(16) : String(n);
  counts.accepted++;
  const early = opt.receiptBeforeRespEvery > 0 && counts.accepted % opt.receiptBeforeRespEvery === 0;
  const sm = pdu.short_message || {};
  if (log) {
    log.write(JSON.stringify({ id, at: new Date().toISOString(), source: pdu.source_addr,
      destination: pdu.destination_addr, dataCoding: pdu.data_coding, esmClass: pdu.esm_class,
      part: concatenation(sm.udh), text: typeof sm.message === 'string' ? sm.message : null }) + '\n');
  }
  const respond = () => session.send(pdu.response({ message_id: id }));
  if (!(pdu.registered_delivery & 0x01)) {
    respond();
    return;
  }
  const result = outcome(counts.accepted);
  const rid = receiptId(id);
  pendingReceipts.set(id, { source_addr: pdu.destination_addr, destination_addr: pdu.source_addr,
    esm_class: 0x04, short_message: receiptText(rid, new Date(), result), receipted_message_id: rid,
    message_state: result.state });
  if (receiptsLog) {
    receiptsLog.write(JSON.stringify({ id, receiptId: rid, stat: result.stat, early,
      destination: pdu.destination_addr }) + '\n');
  }
  if (early) {
    // The receipt overtakes the submit_sm_resp: the gateway must park it until it has recorded the id.
    counts.receiptsBeforeResp++;
    sendReceipt(session, id, pendingReceipts.get(id));
    setTimeout(respond, 20);
    return;
  }
  respond();
  setTimeout(() => {
    const target = session.closed ? receiverSession() : session;
    if (target && pendingReceipts.has(id)) {
      sendReceipt(target, id, pendingReceipts.get(id));
    }
  }, opt.receiptDelayMs);
}

const server = smpp.createServer((session) => {
  sessions.add(session);
  session.on('error', () => {});
  session.on('close', () => { session.closed = true; sessions.delete(session); });
  for (const op of ['bind_transceiver', 'bind_transmitter', 'bind_receiver']) {
    session.on(op, (pdu) => onBind(session, pdu));
  }
  session.on('submit_sm', (pdu) => onSubmit(session, pdu));
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => { session.send(pdu.response()); session.close(); });
});

server.listen(opt.port, '127.0.0.1', () => {
  console.log(`smsc-sim listening on 127.0.0.1:${server.address().port}`);
});

function stop(reason) {
  console.log(`smsc-sim stopping (${reason}): ${JSON.stringify(counts)}`);
  for (const stream of [log, receiptsLog]) {
    if (stream) {
      stream.end();
    }
  }
  process.exit(0);
}
setTimeout(() => stop('lifetime reached'), opt.lifetimeS * 1000).unref();
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
