/* Aisle Live view (wp-admin): the list of conversations, waiting first, and the open one, refreshed
 * every 3 s through the staff REST routes (wp.apiFetch adds the wp_rest nonce). Take over, reply,
 * Release to assistant, Close. Every value is set with textContent. */
(function () {
	'use strict';
	var cfg = window.aisleLive, api = wp.apiFetch, __ = wp.i18n.__, sprintf = wp.i18n.sprintf;
	var ns = '/' + cfg.namespace;
	var $ = function (id) { return document.getElementById(id); };
	var list = $('aisle-live-list'), pane = $('aisle-live-conv'), log = $('aisle-live-messages');
	var current = 0, after = 0, conv = null, typedAt = 0, loading = false;

	function el(tag, cls, text) {
		var n = document.createElement(tag);
		if (cls) { n.className = cls; }
		if (text !== undefined) { n.textContent = text; }
		return n;
	}

	function wait(s) {
		var m = Math.floor(s / 60);
		return m ? sprintf(__('%1$d min %2$d s', 'aisle'), m, s % 60) : sprintf(__('%d s', 'aisle'), s);
	}

	var LABELS = {
		waiting: __('Waiting', 'aisle'), human: __('With the team', 'aisle'), bot: __('Assistant', 'aisle'), closed: __('Closed', 'aisle')
	};
	// Brand names: not translated. The widget's conversations carry no label.
	var CHANNELS = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };
	var ROLES = { user: __('Shopper', 'aisle'), assistant: __('Assistant', 'aisle'), human: __('Team', 'aisle'), system: '' };

	function error(e) { $('aisle-live-error').textContent = e ? (e.message || String(e)) : ''; }

	function renderList(d) {
		list.textContent = '';
		$('aisle-live-empty').hidden = d.conversations.length > 0;
		d.conversations.forEach(function (c) {
			var b = el('button', 'aisle-live-item' + (c.id === current ? ' is-current' : '') + (c.unread ? ' is-unread' : ''));
			b.type = 'button';
			b.dataset.id = c.id;
			b.dataset.status = c.status;
			var head = b.appendChild(el('span', 'aisle-live-item-head'));
			head.appendChild(el('strong', 'aisle-live-status-' + c.status, LABELS[c.status] || c.status));
			if (c.waiting_for !== null) { head.appendChild(el('span', 'aisle-live-wait', ' · ' + wait(c.waiting_for))); }
			if (c.agent) { head.appendChild(el('span', '', ' · ' + c.agent.name)); }
			if (CHANNELS[c.channel]) { head.appendChild(el('span', 'aisle-live-channel', ' · ' + CHANNELS[c.channel])); }
			b.appendChild(el('span', 'aisle-live-preview', c.last_text || ''));
			if (c.page_url) { b.appendChild(el('span', 'aisle-live-url', c.page_url)); }
			b.addEventListener('click', function () { open(c.id); });
			var li = el('li');
			li.appendChild(b);
			list.appendChild(li);
		});
	}

	function state(c) {
		conv = c;
		$('aisle-live-title').textContent = sprintf(__('Conversation #%d', 'aisle'), c.id);
		var who = c.agent ? (c.agent.mine ? __('you', 'aisle') : c.agent.name) : '';
		$('aisle-live-state').textContent = (LABELS[c.status] || c.status) + (who ? ' (' + who + ')' : '') + (c.waiting_for !== null ? ' · ' + wait(c.waiting_for) : '');
		$('aisle-live-page').textContent = c.page_url ? sprintf(__('Page: %s', 'aisle'), c.page_url) : '';
		var mine = c.status === 'human' && c.agent && c.agent.mine;
		$('aisle-live-claim').hidden = c.status === 'human';
		$('aisle-live-release').hidden = !(mine || c.status === 'waiting');
		$('aisle-live-close').hidden = c.status === 'closed';
		$('aisle-live-text').disabled = !mine;
		$('aisle-live-send').disabled = !mine;
	}

	function add(m) {
		var li = el('li', 'aisle-live-msg aisle-live-' + m.role);
		if (ROLES[m.role]) { li.appendChild(el('span', 'aisle-live-role', ROLES[m.role])); }
		li.appendChild(el('span', 'aisle-live-text', m.text));
		li.appendChild(el('time', 'aisle-live-at', new Date(m.at).toLocaleTimeString()));
		log.appendChild(li);
		after = Math.max(after, m.id);
		log.scrollTop = log.scrollHeight;
	}

	function loadConv() {
		if (!current) { return Promise.resolve(); }
		var id = current;
		return api({ path: ns + '/conversations/' + id + '?after=' + after }).then(function (d) {
			if (id !== current) { return; }
			d.messages.forEach(add);
			state(d.conversation);
		});
	}

	function refresh() {
		if (loading) { return; }
		loading = true;
		Promise.all([api({ path: ns + '/conversations' }).then(renderList), loadConv()])
			.catch(error)
			.then(function () { loading = false; });
	}

	function open(id) {
		current = id;
		after = 0;
		log.textContent = '';
		error();
		pane.hidden = false;
		refresh();
	}

	function act(what) {
		error();
		return api({ path: ns + '/conversations/' + current + '/' + what, method: 'POST' })
			.then(function (d) { state(d.conversation); })
			.catch(function (e) {
				error(e);
				if (e && e.data && e.data.conversation) { state(e.data.conversation); }
			})
			.then(refresh);
	}

	$('aisle-live-claim').addEventListener('click', function () { act('claim'); });
	$('aisle-live-release').addEventListener('click', function () { act('release'); });
	$('aisle-live-close').addEventListener('click', function () { act('close'); });

	var text = $('aisle-live-text');
	text.addEventListener('input', function () {
		if (Date.now() - typedAt > 4000 && current) {
			typedAt = Date.now();
			api({ path: ns + '/conversations/' + current + '/typing', method: 'POST' }).catch(function () {});
		}
	});
	text.addEventListener('keydown', function (e) {
		if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('aisle-live-form').requestSubmit(); }
	});
	$('aisle-live-form').addEventListener('submit', function (e) {
		e.preventDefault();
		var value = text.value.trim();
		if (!value || !current) { return; }
		error();
		api({ path: ns + '/conversations/' + current + '/messages', method: 'POST', data: { text: value } })
			.then(function () { text.value = ''; typedAt = 0; return loadConv(); })
			.catch(error);
	});

	/* The display name shoppers see: the staff member's own setting, never the login or email. */
	var name = $('aisle-live-agent-name'), avatar = $('aisle-live-agent-avatar'), saved = $('aisle-live-agent-status');
	// What was saved fills the fields, unless the staff member typed before it arrived (their text wins).
	var typed = {};
	[name, avatar].forEach(function (f) { f.addEventListener('input', function () { typed[f.id] = true; }); });
	api({ path: ns + '/agent' }).then(function (d) {
		if (!typed[name.id]) { name.value = d.name; }
		if (!typed[avatar.id]) { avatar.value = d.avatar; }
	}).catch(function () {});
	$('aisle-live-agent').addEventListener('submit', function (e) {
		e.preventDefault();
		saved.textContent = '';
		api({ path: ns + '/agent', method: 'POST', data: { name: name.value, avatar: avatar.value } })
			.then(function (d) { saved.textContent = sprintf(__('Shoppers see: %s', 'aisle'), d.shown_as.name); })
			.catch(function (err) { saved.textContent = err.message || ''; });
	});

	if (cfg.open) { open(cfg.open); } else { refresh(); }
	setInterval(function () { if (!document.hidden) { refresh(); } }, 3000);
}());
