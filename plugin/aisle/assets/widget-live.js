/* Aisle widget, the part loaded on demand (widget.js adds it): shows the session's conversation
 * again after a page load, and while the team has the conversation ("waiting" or "human") asks
 * for new messages by short polling: every 2 s, backing off to 10 s while nothing comes, paused
 * while the tab is hidden, stopped when the assistant is back. Reads send the session id and the
 * conversation's token; the route needs no nonce, so a page served stale by a cache still works.
 * As in widget.js, untrusted text is only set with textContent (renderText builds text nodes). */
(function () {
	'use strict';
	window.aisleWidgetLive = function (w) {
		var t = w.cfg.strings || {};
		var after = 0, status = 'bot', timer = null, delay = 2000, busy = false, typing = null, face = null;
		var storeTitle = w.title.textContent;

		function active() { return status === 'waiting' || status === 'human'; }

		function url() {
			return w.cfg.restUrl + 'chat/messages' + (w.cfg.restUrl.indexOf('?') < 0 ? '?' : '&') +
				'session_id=' + encodeURIComponent(w.sessionId()) + '&after=' + after;
		}

		/* Who answers, in the header: the staff member's display name and picture, else the store. */
		function agent(a) {
			w.title.textContent = a && a.name ? a.name : storeTitle;
			if (face) { face.remove(); face = null; }
			if (a && a.avatar && w.httpUrl(a.avatar)) {
				face = w.el('img', { src: w.httpUrl(a.avatar), alt: '', width: '28', height: '28', 'class': 'aisle-agent' });
				w.title.parentNode.insertBefore(face, w.title);
			}
		}

		function showTyping(on, a) {
			if (typing) { typing.remove(); typing = null; }
			if (on) {
				typing = w.bubble('human', (t.typing || '%s is typing…').replace('%s', a && a.name ? a.name : ''));
				typing.className += ' aisle-typing';
			}
		}

		function show(m, restoring, last) {
			if (m.role === 'user' && !restoring) { return; } /* shown when it was sent */
			var role = ['user', 'assistant', 'human', 'system'].indexOf(m.role) >= 0 ? m.role : 'system';
			var box = w.bubble(role, '');
			if (role === 'user') { box.textContent = m.text; return; }
			/* A lead form only under the newest message: older ones were answered or passed. */
			w.finish(box, { reply: m.text, products: m.products || [], actions: last ? m.actions || [] : [] });
		}

		function schedule() {
			clearTimeout(timer);
			timer = active() && !document.hidden ? setTimeout(read, delay) : null;
		}

		function read(restoring) {
			if (busy) { return; }
			busy = true;
			clearTimeout(timer);
			fetch(url(), { headers: { 'X-Aisle-Session-Token': w.token() || '', Accept: 'application/json' }, credentials: 'same-origin' })
				.then(function (res) {
					if (!res.ok) { throw res.status; }
					return res.json();
				})
				.then(function (d) {
					var ms = d.messages || [];
					showTyping(false);
					ms.forEach(function (m, i) { show(m, restoring === true, i === ms.length - 1); after = Math.max(after, m.id); });
					status = d.status;
					agent(d.agent);
					showTyping(d.typing, d.agent);
					delay = ms.length ? 2000 : Math.min(10000, Math.round(delay * 1.5));
				})
				.catch(function (s) {
					if (s === 403) { status = 'bot'; } /* not this browser's conversation (or it expired): stop */
					delay = Math.min(10000, delay * 2);
				})
				.then(function () { busy = false; schedule(); });
		}

		document.addEventListener('visibilitychange', function () {
			if (document.hidden) { clearTimeout(timer); timer = null; } else if (active()) { delay = 2000; read(); }
		});

		/* c: the chat reply's conversation {status, last_id}, or nothing to restore from the start. */
		return function (c) {
			if (!c) { after = 0; read(true); return; }
			/* Starting: everything up to the reply is on screen. Running: polls alone move `after`,
			 * so a staff message that arrived before the shopper's own is not skipped. */
			if (!active()) { after = Math.max(after, c.last_id || 0); }
			status = c.status;
			delay = 2000;
			read();
		};
	};
}());
