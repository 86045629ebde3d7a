(function () {
// The join page: plain ES5 for old Android browsers, no library, nothing
// loaded from anywhere. It keeps the follower's token and the code in
// sessionStorage only (gone when the tab closes) and asks for no name.
var W = JSON.parse(document.getElementById('w').innerHTML);
var S = null;
try { S = window.sessionStorage; } catch (e) {}
function get(k) { try { return S ? S.getItem(k) : null; } catch (e) { return null; } }
function put(k, v) { try { if (S) { if (v) { S.setItem(k, v); } else { S.removeItem(k); } } } catch (e) {} }
function $(id) { return document.getElementById(id); }
var tok = get('t'), code = (location.hash || '').replace(/^#/, '') || get('c') || '';
var ver = 0, cur = null, pick = [], wait = 0, gen = 0;

function post(path, body, done) {
  var x = new XMLHttpRequest(), over = false;
  var t = setTimeout(function () { over = true; x.abort(); done(0, null); }, 40000);
  x.open('POST', path, true);
  x.setRequestHeader('Content-Type', 'application/json');
  x.onreadystatechange = function () {
    if (x.readyState !== 4 || over) { return; }
    clearTimeout(t);
    var r = null;
    try { r = JSON.parse(x.responseText); } catch (e) {}
    done(x.status, r);
  };
  x.send(JSON.stringify(body));
}

function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text) { e.appendChild(document.createTextNode(text)); }
  return e;
}
function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
function note(text, warn) {
  var m = $('m');
  clear(m);
  if (text) { m.appendChild(el('p', warn ? 'n e' : 'n', text)); }
}
function show(id) {
  var ids = ['f', 'v'];
  for (var i = 0; i < ids.length; i++) { $(ids[i]).className = ids[i] === id ? '' : 'h'; }
}

function askCode(wrong) {
  show('f');
  note(wrong ? W.wrong : '', wrong);
  $('k').value = code;
}
$('f').onsubmit = function () {
  code = $('k').value.replace(/[\s-]/g, '').toUpperCase();
  if (code) { tok = null; join(); }
  return false;
};

function again(fn) {
  note(W.offline, true);
  wait = Math.min(wait ? wait * 2 : 1000, 8000);
  setTimeout(fn, wait);
}

function join() {
  post('/r/join', { code: code, t: tok || '', l: W.lang }, function (st, r) {
    if (st === 200 && r) {
      tok = r.t; put('t', tok); put('c', code); wait = 0; note('');
      render(r.s); poll(++gen);
    } else if (st === 403) { tok = null; put('t', ''); askCode(true); }
    else if (st === 410) { ended(); }
    else if (st === 409) { show('v'); note(W.waiting); setTimeout(join, 4000); }
    else if (st === 429) { note(W.busy, true); setTimeout(join, 10000); }
    else { again(join); }
  });
}

function poll(g) {
  if (g !== gen) { return; }
  post('/r/state', { t: tok, v: ver, l: W.lang }, function (st, r) {
    if (g !== gen) { return; }
    if (st === 200 && r) { wait = 0; note(''); render(r); poll(g); }
    else if (st === 401) { join(); }
    else if (st === 410) { ended(); }
    else { again(function () { poll(g); }); }
  });
}

function answer(ids) {
  var step = cur && cur.step;
  post('/r/answer', { t: tok, step: step, a: ids, l: W.lang }, function (st, r) {
    if (st === 200 && r) { render(r); }
    else if (st === 401) { join(); }
    else if (st === 410) { ended(); }
    else if (st === 0 || st >= 500) { note(W.offline, true); }
  });
}

function ended() {
  gen++; put('t', ''); put('c', ''); tok = null;
  show('v'); clear($('v')); note('');
  $('v').appendChild(el('p', 'n', W.ended));
}

function same(a, b) {
  if (!a || !b || a.length !== b.length) { return false; }
  for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
  return true;
}
function has(list, id) {
  for (var i = 0; i < list.length; i++) { if (list[i] === id) { return i; } }
  return -1;
}

function render(s) {
  if (!s || s.v < ver) { return; }
  if (s.p === 'ended') { ended(); return; }
  var moved = !cur || cur.step !== s.step || cur.p !== s.p;
  ver = s.v;
  if (moved || !s.c || s.c.k !== 'many') { pick = (s.mine || []).slice(0); }
  cur = s;
  draw();
}

function draw() {
  var s = cur, v = $('v'), c = s.c || {}, i;
  show('v');
  clear(v);
  if (s.p === 'paused') { v.appendChild(el('p', 'n', W.paused)); return; }
  v.appendChild(el('p', 'w', W.stepOf.replace('#S', s.i + 1).replace('#T', s.n)));
  if (c.title) { v.appendChild(el('h1', '', c.title)); }
  for (i = 0; c.text && i < c.text.length; i++) { v.appendChild(el('p', '', c.text[i])); }
  if (c.q) { v.appendChild(el('p', 'q', c.q)); }
  if (c.k === 'none') { v.appendChild(el('p', 'n', W.onScreen)); return; }
  if (c.k !== 'one' && c.k !== 'many') { return; }
  v.appendChild(el('p', 'w', c.k === 'one' ? W.one : W.many));
  for (i = 0; i < c.o.length; i++) { v.appendChild(option(c.o[i], c.k)); }
  if (c.k === 'many') {
    var b = el('button', 'b', W.send);
    b.id = 'send';
    b.disabled = !pick.length || same(pick, s.mine);
    b.onclick = function () { answer(pick.slice(0)); };
    v.appendChild(b);
  }
  if (s.mine && s.mine.length) { v.appendChild(el('p', 'n', W.sent)); }
}

function option(o, kind) {
  var b = el('button', has(pick, o.id) >= 0 ? 'c s' : 'c', o.t);
  b.setAttribute('data-id', o.id);
  b.onclick = function () {
    if (kind === 'one') { pick = [o.id]; answer(pick); draw(); return; }
    var at = has(pick, o.id);
    if (at >= 0) { pick.splice(at, 1); } else { pick.push(o.id); }
    b.className = at >= 0 ? 'c' : 'c s';
    $('send').disabled = !pick.length || same(pick, cur.mine);
  };
  return b;
}

var links = document.getElementsByTagName('a');
for (var j = 0; j < links.length; j++) {
  links[j].onclick = function () {
    put('c', code);
    location.href = this.getAttribute('href') + (code ? '#' + code : '');
    return false;
  };
}

if (code) { join(); } else { askCode(false); }
})();
