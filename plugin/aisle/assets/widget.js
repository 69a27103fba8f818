/* Aisle storefront chat widget. Plain JS, no framework, no external requests.
 * Config comes from one inline object, window.aisleConfig (see Widget.php).
 * Untrusted text (replies, product data) is only ever set with textContent. */
(function () {
	'use strict';
	var cfg = window.aisleConfig;
	if (!cfg || !window.fetch || document.getElementById('aisle-root')) { return; }
	var t = cfg.strings || {}, uiLang = cfg.lang || '';
	var storeHost = location.host;
	var SESSION_KEY = 'aisle_session', tok = null;

	function sessionId() {
		var id = null;
		try { id = sessionStorage.getItem(SESSION_KEY); } catch (e) { /* storage blocked */ }
		if (!id) {
			id = crypto.randomUUID ? crypto.randomUUID() : ([1e7] + -1e3 + -4e3 + -8e3 + -1e11).replace(/[018]/g, function (c) {
				return (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16);
			});
			try { sessionStorage.setItem(SESSION_KEY, id); } catch (e) { /* keep it in memory */ }
		}
		return id;
	}

	/* The conversation's secret from its first reply: with the session id it reads the conversation back. */
	function token(v) {
		try { if (v) { sessionStorage.setItem('aisle_token', v); } tok = v || tok || sessionStorage.getItem('aisle_token'); } catch (e) { tok = v || tok; }
		return tok;
	}

	function el(tag, attrs, children) {
		var node = document.createElement(tag);
		for (var k in attrs || {}) {
			if (k === 'text') { node.textContent = attrs[k]; } else if (k.slice(0, 2) === 'on') { node.addEventListener(k.slice(2), attrs[k]); } else { node.setAttribute(k, attrs[k]); }
		}
		(children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
		return node;
	}

	/* Links are kept only when they point at this store; the chat session rides
	 * along so an order placed after the click can be attributed to the chat. */
	function storeLink(href) {
		try {
			var u = new URL(href, location.href);
			if (u.host !== storeHost || !/^https?:$/.test(u.protocol)) { return null; }
			u.searchParams.set('aisle_session', sessionId());
			return u.href;
		} catch (e) { return null; }
	}

	function httpUrl(href) {
		try { var u = new URL(href, location.href); return /^https?:$/.test(u.protocol) ? u.href : null; } catch (e) { return null; }
	}

	/* Markdown subset: **bold**, [text](url) to this store, "- " / "1. " lists. */
	function inline(text, parent) {
		var re = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g, last = 0, m;
		while ((m = re.exec(text))) {
			parent.appendChild(document.createTextNode(text.slice(last, m.index)));
			if (m[1]) { parent.appendChild(el('strong', { text: m[1] })); } else {
				var href = storeLink(m[3]);
				parent.appendChild(href ? el('a', { href: href, text: m[2] }) : document.createTextNode(m[2]));
			}
			last = re.lastIndex;
		}
		parent.appendChild(document.createTextNode(text.slice(last)));
	}

	function renderText(text, box) {
		box.textContent = '';
		var list = null;
		text.split('\n').forEach(function (line) {
			var item = /^\s*(?:[-*]|\d+[.)])\s+(.*)$/.exec(line);
			if (item) {
				if (!list) { list = box.appendChild(el(/^\s*\d/.test(line) ? 'ol' : 'ul')); }
				inline(item[1], list.appendChild(el('li')));
				return;
			}
			list = null;
			if (line.trim()) { inline(line, box.appendChild(el('p'))); }
		});
	}

	function productCard(p) {
		var link = storeLink(p.url || '');
		var kids = [
			p.image && httpUrl(p.image) ? el('img', { src: httpUrl(p.image), alt: '', loading: 'lazy', width: '56', height: '56' }) : null,
			el('div', { 'class': 'aisle-card-body' }, [
				link ? el('a', { href: link, 'class': 'aisle-card-name', text: p.name || '' }) : el('span', { 'class': 'aisle-card-name', text: p.name || '' }),
				el('span', { 'class': 'aisle-card-price', text: p.price_text || p.price || '' }),
				el('span', { 'class': 'aisle-card-stock', text: p.in_stock ? (t.inStock || 'In stock') : (t.outOfStock || 'Out of stock') }),
				p.add_to_cart_url && storeLink(p.add_to_cart_url) ? el('a', { href: storeLink(p.add_to_cart_url), 'class': 'aisle-card-cart', text: t.addToCart || 'Add to cart' })
					: p.options_url && storeLink(p.options_url) ? el('a', { href: storeLink(p.options_url), 'class': 'aisle-card-cart', text: t.chooseOptions || 'Choose options' }) : null
			])
		];
		return el('li', { 'class': 'aisle-card' }, kids);
	}

	/* ---- DOM ---- */
	var root = el('div', { id: 'aisle-root', 'class': 'aisle-' + (cfg.position === 'left' ? 'left' : 'right'), dir: cfg.rtl ? 'rtl' : 'ltr' });
	if (cfg.color) { root.style.setProperty('--aisle-accent', cfg.color); }
	if (cfg.colorText) { root.style.setProperty('--aisle-on-accent', cfg.colorText); }
	var launcher = el('button', { type: 'button', 'class': 'aisle-launcher', 'aria-expanded': 'false', 'aria-controls': 'aisle-panel', text: t.open || 'Chat' });
	var log = el('div', { 'class': 'aisle-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
	var MAX = cfg.maxLength || 2000;
	var input = el('textarea', { rows: '1', maxlength: String(MAX), dir: 'auto', 'aria-label': t.message || 'Message', 'aria-describedby': 'aisle-count', placeholder: t.placeholder || '' });
	var send = el('button', { type: 'submit', 'class': 'aisle-send', text: t.send || 'Send' });
	var count = el('p', { id: 'aisle-count', 'class': 'aisle-count', 'aria-live': 'polite', hidden: '' });
	var form = el('form', { 'class': 'aisle-form' }, [input, send, count]);
	var close = el('button', { type: 'button', 'class': 'aisle-close', 'aria-label': t.close || 'Close', text: '×' });
	var title = el('h2', { id: 'aisle-title', text: cfg.title || t.title || 'Chat' });
	var header = el('div', { 'class': 'aisle-header' }, [cfg.avatar && httpUrl(cfg.avatar) ? el('img', { src: httpUrl(cfg.avatar), alt: '', width: '28', height: '28' }) : null, title, close]);
	var panel = el('div', { id: 'aisle-panel', 'class': 'aisle-panel', role: 'dialog', 'aria-labelledby': 'aisle-title', hidden: '' }, [header, log, form]);
	/* The stylesheet loads after first paint; the widget stays invisible until then. */
	root.style.visibility = 'hidden';
	if (cfg.cssUrl) {
		document.head.appendChild(el('link', { rel: 'stylesheet', href: cfg.cssUrl, onload: function () { root.style.visibility = ''; } }));
	} else { root.style.visibility = ''; }
	root.appendChild(panel);
	root.appendChild(launcher);
	/* The next page of this tab starts in the language the shopper was last answered in (same plugin version). */
	try {
		var kept = JSON.parse(sessionStorage.getItem('aisle_ui') || 'null');
		if (kept && kept.v === cfg.cssUrl && kept.lang && kept.lang !== uiLang && kept.strings) { speak(kept.strings, kept.lang, true); }
	} catch (e) { /* nothing kept */ }
	document.body.appendChild(root);

	function bubble(role, text) {
		var box = el('div', { 'class': 'aisle-msg aisle-' + role, dir: 'auto' });
		if (role !== 'user') { renderText(text, box); } else { box.textContent = text; }
		log.appendChild(box);
		log.scrollTop = log.scrollHeight;
		return box;
	}

	/* Modal only where the panel covers the page (phones); on wider screens the page stays usable. */
	var full = window.matchMedia ? matchMedia('(max-width:480px)') : { matches: false };
	function modal() { return full.matches; }
	function open() {
		if (modal()) { panel.setAttribute('aria-modal', 'true'); } else { panel.removeAttribute('aria-modal'); }
		panel.hidden = false;
		launcher.setAttribute('aria-expanded', 'true');
		if (!log.childNodes.length) {
			if (t.welcome) { bubble('assistant', t.welcome); }
			if (token()) { live(); } /* after a page load: the conversation so far */
		}
		input.focus();
	}
	function shut() {
		var inside = root.contains(document.activeElement);
		panel.hidden = true;
		launcher.setAttribute('aria-expanded', 'false');
		if (inside) { launcher.focus(); }
	}
	launcher.addEventListener('click', function () { if (panel.hidden) { open(); } else { shut(); } });
	close.addEventListener('click', shut);
	/* Escape closes the open panel wherever the focus is, unless something else used the key. */
	document.addEventListener('keydown', function (e) {
		if (e.key === 'Escape' && !panel.hidden && !e.defaultPrevented) { e.preventDefault(); shut(); }
	});
	panel.addEventListener('keydown', function (e) {
		if (e.key !== 'Tab' || !modal()) { return; }
		var f = panel.querySelectorAll('button:not([disabled]), a[href], input, textarea, [tabindex]:not([tabindex="-1"])');
		var first = f[0], lastEl = f[f.length - 1];
		if (e.shiftKey && document.activeElement === first) { e.preventDefault(); lastEl.focus(); } else if (!e.shiftKey && document.activeElement === lastEl) { e.preventDefault(); first.focus(); }
	});
	/* Shown from 90% of the limit; at the limit it says so (the box takes no more). */
	input.addEventListener('input', function () {
		var n = input.value.length;
		count.hidden = n < MAX * 0.9;
		count.className = 'aisle-count' + (n >= MAX ? ' aisle-at-limit' : '');
		count.textContent = n >= MAX ? (t.limit || '') : (t.counter || '%1$s / %2$s').replace('%1$s', n).replace('%2$s', MAX);
	});
	input.addEventListener('keydown', function (e) {
		if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event('submit')); }
	});

	/* ---- talking to the store ---- */
	function post(path, body) {
		return fetch(cfg.restUrl + path.replace('?', cfg.restUrl.indexOf('?') < 0 ? '?' : '&'), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json' },
			body: JSON.stringify(body),
			credentials: 'same-origin'
		});
	}

	/* A reply in another language brings the widget's words in it: the input, cards and forms follow the shopper. */
	function speak(strings, lang, kept) {
		t = cfg.strings = strings;
		uiLang = form.lang = lang;
		if (t.dir) { root.dir = t.dir; }
		input.placeholder = t.placeholder || '';
		input.setAttribute('aria-label', t.message || 'Message');
		send.textContent = t.send || 'Send';
		launcher.textContent = t.open || launcher.textContent;
		close.setAttribute('aria-label', t.close || 'Close');
		if (!kept) { try { sessionStorage.setItem('aisle_ui', JSON.stringify({ v: cfg.cssUrl, lang: lang, strings: strings })); } catch (e) { /* the next page starts in the store's language */ } }
	}

	function finish(box, data) {
		if (data.strings && data.language) { speak(data.strings, data.language); }
		if (data.language) { box.lang = data.language; }
		renderText(data.reply || '', box);
		if (data.products && data.products.length) { box.appendChild(el('ul', { 'class': 'aisle-cards' }, data.products.map(productCard))); }
		if ((data.actions || []).indexOf('offer_lead') >= 0) { box.appendChild(leadForm()); }
		// Where a knowledge answer comes from, unless the reply already shows it (bold or as a link, as the built-in answer does).
		var sources = (data.sources || []).filter(function (s) { var r = data.reply || ''; return s && s.title && r.indexOf('**' + s.title + '**') < 0 && r.indexOf('[' + s.title + '](') < 0; });
		if (sources.length) {
			var line = el('p', { 'class': 'aisle-sources', text: (t.sources || 'Sources:') + ' ' });
			sources.forEach(function (s, i) {
				var href = s.url ? storeLink(s.url) : null;
				if (i) { line.appendChild(document.createTextNode(', ')); }
				line.appendChild(href ? el('a', { href: href, text: s.title }) : el('span', { text: s.title }));
			});
			box.appendChild(line);
		}
		log.scrollTop = log.scrollHeight;
		var c = data.conversation;
		if (c) {
			token(c.token);
			if (c.status === 'waiting' || c.status === 'human') { if (!data.reply) { box.remove(); } live(c); }
		}
	}

	/* Restoring and polling live in widget-live.js, loaded only for a stored conversation or a handoff. */
	var liveFn, liveQueue = [];
	function live(c) {
		if (liveFn) { return liveFn(c); }
		if (liveQueue.push(c) === 1) {
			document.head.appendChild(el('script', { src: cfg.liveUrl, onload: function () {
				liveFn = window.aisleWidgetLive({ cfg: cfg, title: title, log: log, bubble: bubble, finish: finish, sessionId: sessionId, token: token, httpUrl: httpUrl, el: el });
				liveQueue.forEach(liveFn);
			} }));
		}
	}

	/* Reads Server-Sent Events as they arrive; a proxy that buffers gives us
	 * JSON instead, which is handled the same way. */
	function readReply(res, box) {
		var type = res.headers.get('Content-Type') || '';
		if (!res.ok || type.indexOf('text/event-stream') < 0 || !res.body) {
			return res.json().then(function (data) {
				if (!res.ok) { throw { message: data.message || t.error, fatal: res.status < 500 && res.status !== 429 }; }
				finish(box, data);
			});
		}
		var reader = res.body.getReader(), dec = new TextDecoder(), buf = '', text = '';
		function pump() {
			return reader.read().then(function (r) {
				if (r.done) { return; }
				buf += dec.decode(r.value, { stream: true });
				var parts = buf.split('\n\n');
				buf = parts.pop();
				parts.forEach(function (part) {
					var ev = 'message', data = '';
					part.split('\n').forEach(function (line) {
						if (line.indexOf('event:') === 0) { ev = line.slice(6).trim(); } else if (line.indexOf('data:') === 0) { data += line.slice(5).trim(); }
					});
					if (!data) { return; }
					var payload = JSON.parse(data);
					if (ev === 'delta') { text += payload.text || ''; renderText(text, box); log.scrollTop = log.scrollHeight; } else if (ev === 'done') { finish(box, payload); } else if (ev === 'error') { throw { message: payload.message || t.error, fatal: true }; }
				});
				return pump();
			});
		}
		return pump();
	}

	function ask(message) {
		var box = bubble('assistant', '');
		box.setAttribute('aria-busy', 'true');
		send.disabled = true;
		return post('chat?stream=1', { session_id: sessionId(), message: message, page_url: location.href, ui_lang: uiLang })
			.then(function (res) { return readReply(res, box); })
			.catch(function (err) {
				renderText((err && err.message) || t.error || 'Something went wrong.', box);
				if (!err || !err.fatal) {
					box.appendChild(el('button', { type: 'button', 'class': 'aisle-retry', text: t.retry || 'Retry', onclick: function () { box.remove(); ask(message); } }));
				}
			})
			.then(function () { box.removeAttribute('aria-busy'); send.disabled = false; });
	}

	form.addEventListener('submit', function (e) {
		e.preventDefault();
		var message = input.value.trim();
		if (!message) { return; }
		input.value = '';
		input.dispatchEvent(new Event('input'));
		bubble('user', message);
		ask(message);
	});

	/* In the words of the moment it opens: its errors and the consent the store records are in the same language. */
	function leadForm() {
		var L = t, formLang = uiLang;
		var say = function (k, fallback) { return L[k] || fallback; };
		var id = 'aisle-consent-' + log.childNodes.length;
		var email = el('input', { type: 'email', name: 'email', autocomplete: 'email' });
		var phone = el('input', { type: 'tel', name: 'phone', autocomplete: 'tel' });
		var consent = el('input', { type: 'checkbox', id: id, required: '' });
		var status = el('p', { 'class': 'aisle-lead-status', role: 'status' });
		var more = cfg.leadFields || [];
		var name = more.indexOf('name') >= 0 ? el('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: '100' }) : null;
		var note = more.indexOf('message') >= 0 ? el('textarea', { name: 'message', rows: '2', maxlength: '1000', dir: 'auto' }) : null;
		var lead = el('form', { 'class': 'aisle-lead' }, [
			name && el('label', {}, [document.createTextNode(say('name', 'Name')), name]),
			el('label', {}, [document.createTextNode(say('email', 'Email')), email]),
			el('label', {}, [document.createTextNode(say('phone', 'Phone')), phone]),
			note && el('label', {}, [document.createTextNode(say('leadNote', 'Message')), note]),
			el('label', { 'for': id, 'class': 'aisle-consent' }, [consent, document.createTextNode(' ' + say('consent', ''))]),
			el('button', { type: 'submit', text: say('leadSend', 'Send') }), status
		]);
		lead.addEventListener('submit', function (e) {
			e.preventDefault();
			if (!email.value && !phone.value) { status.textContent = say('leadMissing', ''); return; }
			post('lead', { session_id: sessionId(), email: email.value, phone: phone.value, name: name ? name.value : '', message: note ? note.value : '', consent: consent.checked, page_url: location.href, lang: formLang })
				.then(function (res) { return res.json().then(function (d) { if (!res.ok) { throw d; } }); })
				.then(function () { lead.replaceWith(el('p', { 'class': 'aisle-lead-done', text: say('leadThanks', 'Thank you.') })); })
				.catch(function (d) { status.textContent = (d && d.message) || t.error || ''; });
		});
		return lead;
	}
}());
