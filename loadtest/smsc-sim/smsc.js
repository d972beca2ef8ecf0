#!/usr/bin/env node
// A loopback SMSC for the gateway's fault scripts and for trying the gateway by hand, built on the
// npm package `smpp` (node-smpp), so the peer shares no code with the gateway's jsmpp client.
//
//   node smsc.js [--port 0] [--system-id antifraud] [--password secret] [--log FILE]
//                [--throttle-every N] [--receipt-delay-ms 200] [--lifetime-s 600]
//
// Prints "smsc-sim listening on 127.0.0.1:PORT" once bound (port 0 = a free port). Every accepted
// submit_sm is one JSON line in --log: message id, destination, data_coding, esm_class, the UDH
// concatenation IE (ref/total/seq) and the decoded text. A delivery receipt (deliver_sm, esm_class
// 0x04, receipted_message_id TLV, SMPP 3.4 Appendix B text) follows each after --receipt-delay-ms.
// --throttle-every N answers every Nth submit_sm with ESME_RTHROTTLED (0x58). A wrong password gets
// ESME_RINVPASWD (0x0E). A receipt stays pending until its deliver_sm_resp arrives; one sent on a
// session that died is sent again on the next bind, as an SMSC retries an unacknowledged deliver_sm.
// The process exits by itself after --lifetime-s (bounded, for tests).
'use strict';
const fs = require('fs');
const smpp = require('smpp');

function options(argv) {
  const o = { port: 0, systemId: 'antifraud', password: 'secret', log: null, throttleEvery: 0,
    receiptDelayMs: 200, lifetimeS: 600 };
  const names = { '--port': 'port', '--system-id': 'systemId', '--password': 'password', '--log': 'log',
    '--throttle-every': 'throttleEvery', '--receipt-delay-ms': 'receiptDelayMs', '--lifetime-s': 'lifetimeS' };
  for (let i = 2; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) {
      console.error(`smsc-sim: unknown or incomplete option '${argv[i]}'`);
      process.exit(2);
    }
    o[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return o;
}

const opt = options(process.argv);
const log = opt.log ? fs.createWriteStream(opt.log, { flags: 'a' }) : null;
let nextId = 0x10000;
let submits = 0;
const counts = { binds: 0, bindRejected: 0, accepted: 0, throttled: 0, receipts: 0, receiptsResent: 0 };
const pendingReceipts = new Map(); // message id -> deliver_sm fields, until acknowledged
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

function receiptText(id, at) {
  const stamp = at.toISOString().replace(/[-T:]/g, '').slice(2, 12); // YYMMDDhhmm
  return `id:${id} sub:001 dlvrd:001 submit date:${stamp} done date:${stamp} stat:DELIVRD err:000 text:`;
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
  const id = (nextId++).toString(16);
  counts.accepted++;
  session.send(pdu.response({ message_id: id }));
  const sm = pdu.short_message || {};
  if (log) {
    log.write(JSON.stringify({ id, at: new Date().toISOString(), source: pdu.source_addr,
      destination: pdu.destination_addr, dataCoding: pdu.data_coding, esmClass: pdu.esm_class,
      part: concatenation(sm.udh), text: typeof sm.message === 'string' ? sm.message : null }) + '\n');
  }
  if (pdu.registered_delivery & 0x01) {
    pendingReceipts.set(id, { source_addr: pdu.destination_addr, destination_addr: pdu.source_addr,
      esm_class: 0x04, short_message: receiptText(id, new Date()), receipted_message_id: id, message_state: 2 });
    setTimeout(() => {
      const target = session.closed ? receiverSession() : session;
      if (target && pendingReceipts.has(id)) {
        sendReceipt(target, id, pendingReceipts.get(id));
      }
    }, opt.receiptDelayMs);
  }
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
  if (log) {
    log.end();
  }
  process.exit(0);
}
setTimeout(() => stop('lifetime reached'), opt.lifetimeS * 1000).unref();
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
