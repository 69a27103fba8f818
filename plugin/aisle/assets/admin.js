/* Aisle settings page: every read and write goes through the aisle/v1 REST routes. */
( function () {
	'use strict';
	const { __, sprintf } = wp.i18n;
	const ns = '/' + window.aisleAdmin.namespace;
	const form = document.getElementById( 'aisle-form' );
	const $ = ( id ) => document.getElementById( id );

	// The result of an action: in the snackbar fixed at the bottom of the window (where the admin
	// is looking, near the Save button), and in the notice at the top.
	let snackTimer = null;
	function notice( kind, text ) {
		const box = $( 'aisle-notice' );
		box.className = 'notice inline notice-' + kind;
		box.querySelector( 'p' ).textContent = text;
		box.hidden = false;
		const snack = $( 'aisle-snackbar' );
		snack.className = 'aisle-snackbar aisle-snackbar-' + kind;
		snack.textContent = text;
		snack.hidden = false;
		clearTimeout( snackTimer );
		if ( kind === 'success' || kind === 'info' ) {
			snackTimer = setTimeout( () => ( snack.hidden = true ), 6000 );
		}
	}

	function fieldInput( field ) {
		return field === 'faq' ? faqBox : $( 'aisle-' + field );
	}

	function clearErrors() {
		document.querySelectorAll( '.aisle-field-error' ).forEach( ( el ) => ( el.textContent = '' ) );
		form.querySelectorAll( '[aria-invalid]' ).forEach( ( el ) => el.removeAttribute( 'aria-invalid' ) );
		document.querySelectorAll( '.aisle-section-errors' ).forEach( ( el ) => {
			el.hidden = true;
			el.textContent = '';
		} );
	}

	// Sections: one shown at a time, switched in place; the address follows so a reload stays.
	const sectionOf = ( node ) => node && node.closest && node.closest( '.aisle-section' );
	function showSection( slug, focusHeading ) {
		document.querySelectorAll( '.aisle-section' ).forEach( ( s ) => ( s.hidden = s.dataset.section !== slug ) );
		document.querySelectorAll( '#aisle-sections a[data-section]' ).forEach( ( a ) => {
			const on = a.dataset.section === slug;
			a.classList.toggle( 'current', on );
			if ( on ) {
				a.setAttribute( 'aria-current', 'page' );
			} else {
				a.removeAttribute( 'aria-current' );
			}
		} );
		const url = new URL( location.href );
		url.searchParams.set( 'section', slug );
		history.replaceState( null, '', url );
		if ( focusHeading ) {
			const h = $( 'aisle-section-' + slug );
			h.tabIndex = -1;
			h.focus();
		}
	}
	document.querySelectorAll( '#aisle-sections a[data-section]' ).forEach( ( a ) => {
		a.addEventListener( 'click', ( ev ) => {
			ev.preventDefault();
			showSection( a.dataset.section, true );
		} );
	} );

	// Every message next to its field, in one pass; the first field with a problem gets the focus.
	function showError( err, fallbackField ) {
		const params = err && err.data && err.data.params;
		let first = null;
		const perSection = {};
		if ( params ) {
			Object.keys( params ).forEach( ( field ) => {
				const section = sectionOf( fieldInput( field ) || document.querySelector( '.aisle-field-error[data-field="' + field + '"]' ) );
				if ( section ) {
					perSection[ section.dataset.section ] = ( perSection[ section.dataset.section ] || 0 ) + 1;
				}
				const el = document.querySelector( '.aisle-field-error[data-field="' + field + '"]' );
				if ( el ) {
					el.textContent = params[ field ];
					el.id = el.id || 'aisle-' + field + '-error';
				}
				const input = fieldInput( field );
				if ( input ) {
					input.setAttribute( 'aria-invalid', 'true' );
					if ( el && input !== faqBox ) {
						const ids = ( input.getAttribute( 'aria-describedby' ) || '' ).split( ' ' ).filter( ( i ) => i && i !== el.id );
						input.setAttribute( 'aria-describedby', ids.concat( el.id ).join( ' ' ) );
					}
					first = first || input;
				}
			} );
		} else if ( fallbackField ) {
			const el = document.querySelector( '.aisle-field-error[data-field="' + fallbackField + '"]' );
			if ( el ) {
				el.textContent = ( err && err.message ) || __( 'Something went wrong.', 'aisle' );
			}
		}
		// Each section link says how many of its fields need a fix.
		Object.keys( perSection ).forEach( ( slug ) => {
			const badge = document.querySelector( '#aisle-section-link-' + slug + ' .aisle-section-errors' );
			if ( badge ) {
				/* translators: %d: number of fields with a problem in this section. */
				badge.textContent = ' ' + sprintf( __( '(%d to fix)', 'aisle' ), perSection[ slug ] );
				badge.hidden = false;
			}
		} );
		notice( 'error', ( err && err.message ) || __( 'Something went wrong.', 'aisle' ) );
		if ( first && sectionOf( first ) && sectionOf( first ).hidden ) {
			showSection( sectionOf( first ).dataset.section, false );
		}
		if ( first ) {
			const target = first === faqBox ? ( faqBox.querySelector( 'input, textarea' ) || $( 'aisle-faq-add' ) ) : first;
			target.focus( { preventScroll: true } );
			target.scrollIntoView( { block: 'center' } );
		}
	}

	function renderSecrets( secrets ) {
		Object.keys( secrets ).forEach( ( field ) => {
			const el = document.querySelector( '[data-secret-state="' + field + '"]' );
			const s = secrets[ field ];
			if ( ! el ) {
				return;
			}
			if ( ! s.saved ) {
				el.textContent = __( 'not set', 'aisle' );
			} else if ( ! s.readable ) {
				el.textContent = __( 'saved, but cannot be decrypted with the current key — enter it again', 'aisle' );
			} else if ( s.ends_with ) {
				/* translators: %s: last four characters of a saved secret. */
				el.textContent = sprintf( __( 'saved, ends in …%s', 'aisle' ), s.ends_with );
			} else {
				el.textContent = __( 'saved', 'aisle' );
			}
		} );
	}

	// FAQ: question/answer pairs.
	const faqBox = $( 'aisle-faq' );
	function addFaq( q, a ) {
		const row = document.createElement( 'div' );
		row.className = 'aisle-faq-row';
		const qi = document.createElement( 'input' );
		qi.className = 'regular-text aisle-faq-q';
		qi.placeholder = __( 'Question', 'aisle' );
		qi.setAttribute( 'aria-label', __( 'Question', 'aisle' ) );
		qi.value = q || '';
		const ai = document.createElement( 'textarea' );
		ai.className = 'large-text aisle-faq-a';
		ai.rows = 2;
		ai.placeholder = __( 'Answer', 'aisle' );
		ai.setAttribute( 'aria-label', __( 'Answer', 'aisle' ) );
		ai.value = a || '';
		const rm = document.createElement( 'button' );
		rm.type = 'button';
		rm.className = 'button-link aisle-faq-remove';
		rm.textContent = __( 'Remove', 'aisle' );
		rm.addEventListener( 'click', () => row.remove() );
		row.append( qi, ai, rm );
		faqBox.append( row );
	}
	JSON.parse( faqBox.dataset.faq || '[]' ).forEach( ( e ) => addFaq( e.question, e.answer ) );
	$( 'aisle-faq-add' ).addEventListener( 'click', () => addFaq( '', '' ) );

	// "Add to FAQ" on the Overview: a new entry with the visitor's question, waiting for its answer.
	const asked = new URL( location.href ).searchParams.get( 'faq_question' );
	if ( asked ) {
		addFaq( asked.slice( 0, 300 ), '' );
		const answer = faqBox.lastElementChild.querySelector( '.aisle-faq-a' );
		answer.focus();
		answer.scrollIntoView( { block: 'center' } );
		notice( 'info', __( 'The question is in a new FAQ entry: write its answer, then Save changes.', 'aisle' ) );
		const url = new URL( location.href );
		url.searchParams.delete( 'faq_question' );
		history.replaceState( null, '', url );
	}

	function collect() {
		const data = {};
		form.querySelectorAll( 'input[name], select[name], textarea[name]' ).forEach( ( el ) => {
			if ( el.multiple ) {
				const picked = Array.from( el.selectedOptions ).map( ( o ) => o.value );
				data[ el.name ] = el.name === 'widget_page_ids' ? picked.map( Number ) : picked;
			} else if ( el.type === 'checkbox' ) {
				data[ el.name ] = el.checked;
			} else if ( el.dataset.secret ) {
				if ( el.value.trim() !== '' ) {
					data[ el.name ] = el.value;
				}
			} else if ( el.type === 'number' ) {
				// Sent as typed when it is not a whole number, so the message says what is wrong.
				data[ el.name ] = /^-?\d+$/.test( el.value.trim() ) ? parseInt( el.value, 10 ) : el.value;
			} else if ( el.name === 'shareable_coupons' ) {
				data[ el.name ] = el.value.split( ',' ).map( ( s ) => s.trim() ).filter( Boolean );
			} else {
				data[ el.name ] = el.value;
			}
		} );
		data.faq = Array.from( faqBox.querySelectorAll( '.aisle-faq-row' ) )
			.map( ( row ) => ( { question: row.querySelector( '.aisle-faq-q' ).value.trim(), answer: row.querySelector( '.aisle-faq-a' ).value.trim() } ) )
			.filter( ( e ) => e.question || e.answer );
		return data;
	}

	function renderLicense( l ) {
		const box = $( 'aisle-license-status' );
		box.textContent = '';
		const lines = [];
		if ( ! l.available ) {
			lines.push( __( 'License support is not available in this build of the aisle extension.', 'aisle' ) );
			$( 'aisle-license-activate' ).disabled = true;
		} else if ( l.license ) {
			lines.push( sprintf( __( 'Status: %s', 'aisle' ), l.license.status ) );
			if ( l.license.plan ) {
				lines.push( sprintf( __( 'Plan: %s', 'aisle' ), l.license.plan ) );
				lines.push( sprintf( __( 'Site: %s', 'aisle' ), l.license.site ) );
				lines.push( sprintf( __( 'Expires: %s', 'aisle' ), new Date( l.license.expires_at * 1000 ).toLocaleDateString() ) );
				lines.push( sprintf( __( 'Features: %s', 'aisle' ), ( l.license.features || [] ).join( ', ' ) || '—' ) );
				if ( l.license.development ) {
					lines.push( __( 'Development license: for staging and local copies only.', 'aisle' ) );
				}
			}
			if ( 'grace' === l.license.status && l.license.grace_ends_at ) {
				/* translators: %s: date */
				lines.push( sprintf( __( 'The license has expired; Aisle keeps working until %s. Renew it, then press Activate.', 'aisle' ), new Date( l.license.grace_ends_at * 1000 ).toLocaleDateString() ) );
			}
			if ( 'expired' === l.license.status ) {
				lines.push( __( 'The license has expired: AI answers and lead capture are off until it is renewed. The built-in answerer keeps working.', 'aisle' ) );
			}
			if ( l.license.refresh ) {
				const when = new Date( l.license.refresh.at * 1000 ).toLocaleString();
				lines.push( 'refreshed' === l.license.refresh.result
					/* translators: %s: date and time */
					? sprintf( __( 'License renewed automatically on %s.', 'aisle' ), when )
					/* translators: 1: date and time, 2: reason */
					: sprintf( __( 'Automatic renewal on %1$s did not succeed: %2$s The current license stays in use.', 'aisle' ), when, l.license.refresh.message || l.license.refresh.reason ) );
			}
			if ( l.license.reason ) {
				lines.push( sprintf( __( 'The saved license is no longer valid (%s). Activate again.', 'aisle' ), l.license.reason ) );
			}
		} else {
			lines.push( __( 'No license activated. The built-in answerer works without one.', 'aisle' ) );
		}
		if ( l.development_site ) {
			lines.push( __( 'This looks like a development site.', 'aisle' ) );
		}
		lines.forEach( ( t ) => {
			const p = document.createElement( 'p' );
			p.textContent = t;
			box.append( p );
		} );
		renderSecrets( { license_key: l.license_key } );
		const note = $( 'aisle-ai-license-note' );
		if ( note ) {
			const usable = l.license && ( 'active' === l.license.status || 'grace' === l.license.status );
			const hasAi = usable && ( l.license.features || [] ).includes( 'ai' );
			note.textContent = hasAi
				? __( 'Your license includes AI providers.', 'aisle' )
				: __( 'AI providers (OpenAI-compatible, Anthropic) need an active license with the "ai" feature. Until then the built-in answerer replies.', 'aisle' );
		}
	}

	function duration( seconds ) {
		if ( seconds < 60 ) {
			/* translators: %d: seconds */
			return sprintf( __( 'about %d s left', 'aisle' ), Math.max( 1, seconds ) );
		}
		/* translators: 1: minutes, 2: seconds */
		return sprintf( __( 'about %1$d min %2$d s left', 'aisle' ), Math.floor( seconds / 60 ), seconds % 60 );
	}

	let polling = null;
	function renderSync( s ) {
		const text = $( 'aisle-sync-text' );
		const bar = $( 'aisle-sync-bar' );
		const button = $( 'aisle-sync-now' );
		const cancel = $( 'aisle-sync-cancel' );
		if ( ! s.available ) {
			button.disabled = true;
			text.textContent = __( 'Catalog sync is not available: this build of the aisle extension has no catalog support, or WooCommerce\'s Action Scheduler is not loaded.', 'aisle' );
			return;
		}
		bar.max = Math.max( 1, s.total );
		bar.value = s.done;
		button.disabled = s.busy;
		cancel.hidden = ! s.busy;
		cancel.disabled = s.state === 'indexing';
		let t;
		if ( s.busy ) {
			t = sprintf( __( '%1$d of %2$d products read', 'aisle' ), s.done, s.total );
			if ( s.state === 'indexing' ) {
				t += ' — ' + __( 'building the index…', 'aisle' );
			} else if ( s.eta_seconds !== null && s.eta_seconds !== undefined ) {
				t += ' — ' + duration( s.eta_seconds );
				if ( s.throughput ) {
					/* translators: %s: products per second */
					t += ' ' + sprintf( __( '(%s products/s)', 'aisle' ), String( s.throughput ) );
				}
			}
		} else if ( s.state === 'never' ) {
			t = __( 'Not synced yet.', 'aisle' );
		} else if ( s.state === 'cancelled' ) {
			t = sprintf( __( 'Sync cancelled %s. The previous index is still in use.', 'aisle' ), s.finished_at ? new Date( s.finished_at * 1000 ).toLocaleString() : '' );
		} else {
			t = sprintf( __( 'Last sync %1$s: %2$s.', 'aisle' ), s.finished_at ? new Date( s.finished_at * 1000 ).toLocaleString() : '—', s.state );
			if ( s.result ) {
				t += ' ' + sprintf( __( '%1$d indexed, %2$d changed, %3$d removed, %4$d rejected.', 'aisle' ), s.result.indexed, s.result.changed, s.result.deleted, s.result.rejected );
			}
		}
		if ( s.error_count ) {
			t += ' ' + sprintf( __( '%d errors, e.g. %s', 'aisle' ), s.error_count, s.errors.map( ( e ) => ( e.id === null || e.id === undefined ? '' : '#' + e.id + ': ' ) + e.error ).join( '; ' ) );
		}
		if ( s.remote && s.remote.configured ) {
			/* translators: 1: state, 2: batches sent, 3: products sent, 4: deletions sent, 5: batches waiting */
			t += ' ' + sprintf( __( 'Remote sync: %1$s — %2$d batches sent (%3$d products, %4$d deletions), %5$d waiting.', 'aisle' ), s.remote.state, s.remote.sent, s.remote.products_sent, s.remote.deleted_sent, s.remote.pending );
			if ( s.remote.last_error ) {
				t += ' ' + s.remote.last_error;
			}
			if ( s.remote.next_retry_at ) {
				/* translators: %s: time */
				t += ' ' + sprintf( __( 'Next try at %s.', 'aisle' ), new Date( s.remote.next_retry_at * 1000 ).toLocaleTimeString() );
			}
		}
		text.textContent = t;
		// While busy the poll itself moves a run nobody else is moving (see CatalogSync).
		if ( s.busy && ! polling ) {
			polling = setInterval( () => wp.apiFetch( { path: ns + '/sync' } ).then( renderSync ).catch( () => {} ), 1500 );
		} else if ( ! s.busy && polling ) {
			clearInterval( polling );
			polling = null;
		}
	}

	// AI provider: only the fields the chosen provider uses.
	const provider = $( 'aisle-ai_provider' );
	function showProviderFields() {
		form.querySelectorAll( 'tr[data-providers]' ).forEach( ( tr ) => ( tr.hidden = ! tr.dataset.providers.split( ' ' ).includes( provider.value ) ) );
	}
	provider.addEventListener( 'change', showProviderFields );
	showProviderFields();

	// Rows that only matter for one value of another field (e.g. the chosen pages for "Show the chat").
	form.querySelectorAll( 'tr[data-when]' ).forEach( ( tr ) => {
		const other = $( 'aisle-' + tr.dataset.when );
		const follow = () => ( tr.hidden = other.value !== tr.dataset.whenValue );
		other.addEventListener( 'change', follow );
		follow();
	} );

	// WCAG 2 relative luminance and contrast (the same sums as Widget::contrast in PHP).
	function luminance( hex ) {
		const c = [ 0, 2, 4 ].map( ( i ) => parseInt( hex.substr( i, 2 ), 16 ) / 255 ).map( ( v ) => ( v <= 0.04045 ? v / 12.92 : Math.pow( ( v + 0.055 ) / 1.055, 2.4 ) ) );
		return 0.2126 * c[ 0 ] + 0.7152 * c[ 1 ] + 0.0722 * c[ 2 ];
	}
	function contrast( a, b ) {
		const l = [ luminance( a ), luminance( b ) ];
		return ( Math.max( ...l ) + 0.05 ) / ( Math.min( ...l ) + 0.05 );
	}
	const hexOf = ( v ) => {
		const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec( ( v || '' ).trim() );
		return m ? ( m[ 1 ].length === 3 ? m[ 1 ].replace( /(.)/g, '$1$1' ) : m[ 1 ] ).toLowerCase() : null;
	};
	// White text, or near-black where white does not reach 4.5:1 (Widget::text_on).
	function textOn( hex ) {
		const white = contrast( hex, 'ffffff' );
		return white >= 4.5 || white >= contrast( hex, '1d1d1f' ) ? '#ffffff' : '#1d1d1f';
	}

	// Links and borders drawn in the accent on white need 3:1 (WCAG 1.4.11 / 1.4.1).
	function accentWarning( hex ) {
		const box = $( 'aisle-accent-warning' );
		const ratio = hex ? contrast( hex, 'ffffff' ) : 21;
		box.hidden = ratio >= 3;
		box.textContent = ratio >= 3 ? '' : sprintf(
			/* translators: %s: contrast ratio such as 1.4 */
			__( 'This accent is too light for links and borders on a white page: its contrast with white is %s:1, and at least 3:1 is needed to be seen. Text on the accent stays readable (the widget switches it to dark), but choose a darker shade for links to be visible.', 'aisle' ),
			ratio.toFixed( 1 )
		);
		if ( ratio >= 3 ) {
			$( 'aisle-accent_color' ).removeAttribute( 'aria-describedby' );
		} else {
			$( 'aisle-accent_color' ).setAttribute( 'aria-describedby', 'aisle-accent-warning' );
		}
	}

	// The live preview redraws from the fields as they change.
	const preview = $( 'aisle-preview' );
	function drawPreview() {
		const d = JSON.parse( preview.dataset.defaults || '{}' );
		const val = ( id ) => ( $( 'aisle-' + id ) ? $( 'aisle-' + id ).value.trim() : '' );
		const hex = hexOf( val( 'accent_color' ) );
		const root = preview.querySelector( '#aisle-root' );
		if ( hex ) {
			root.style.setProperty( '--aisle-accent', '#' + hex );
			root.style.setProperty( '--aisle-on-accent', textOn( hex ) );
		}
		accentWarning( hex );
		root.className = val( 'position' ) === 'left' ? 'aisle-left' : 'aisle-right';
		$( 'aisle-preview-title' ).textContent = val( 'store_name' ) || d.title || '';
		$( 'aisle-preview-launcher' ).textContent = val( 'launcher_label' ) || d.launcher || '';
		$( 'aisle-preview-welcome' ).textContent = val( 'welcome_message' ) || d.welcome || '';
		const avatar = $( 'aisle-preview-avatar' );
		const src = val( 'avatar_url' );
		const shown = /^https?:\/\/[^\s]+$/i.test( src );
		$( 'aisle-preview-avatar-error' ).hidden = true;
		if ( ! shown ) {
			avatar.hidden = true;
			avatar.removeAttribute( 'src' );
		} else if ( avatar.getAttribute( 'src' ) !== src ) {
			avatar.hidden = false;
			avatar.src = src;
		}
	}
	if ( preview ) {
		$( 'aisle-preview-avatar' ).addEventListener( 'error', () => {
			$( 'aisle-preview-avatar' ).hidden = true;
			$( 'aisle-preview-avatar-error' ).hidden = ! $( 'aisle-preview-avatar' ).getAttribute( 'src' );
		} );
		[ 'accent_color', 'position', 'welcome_message', 'launcher_label', 'avatar_url', 'store_name' ].forEach( ( id ) => {
			const el = $( 'aisle-' + id );
			if ( el ) {
				el.addEventListener( 'input', drawPreview );
				el.addEventListener( 'change', drawPreview );
			}
		} );
		drawPreview();
	}

	form.addEventListener( 'submit', ( ev ) => {
		ev.preventDefault();
		clearErrors();
		wp.apiFetch( { path: ns + '/settings', method: 'POST', data: collect() } )
			.then( ( r ) => {
				form.querySelectorAll( '[data-secret]' ).forEach( ( el ) => ( el.value = '' ) );
				renderSecrets( r.secrets );
				notice( 'success', __( 'Settings saved.', 'aisle' ) );
			} )
			.catch( ( e ) => showError( e ) );
	} );

	$( 'aisle-license-activate' ).addEventListener( 'click', () => {
		clearErrors();
		const data = {};
		const key = $( 'aisle-license_key' ).value.trim();
		const token = $( 'aisle-license-token' ).value.trim();
		if ( token ) {
			data.token = token;
		} else if ( key ) {
			data.license_key = key;
		}
		wp.apiFetch( { path: ns + '/license/activate', method: 'POST', data } )
			.then( ( l ) => {
				$( 'aisle-license_key' ).value = '';
				$( 'aisle-license-token' ).value = '';
				renderLicense( l );
				notice( 'success', __( 'License activated.', 'aisle' ) );
			} )
			.catch( ( e ) => showError( e, 'license' ) );
	} );

	$( 'aisle-sync-now' ).addEventListener( 'click', () => {
		clearErrors();
		$( 'aisle-sync-text' ).textContent = __( 'Starting…', 'aisle' );
		wp.apiFetch( { path: ns + '/sync', method: 'POST' } ).then( renderSync ).catch( ( e ) => showError( e, 'sync' ) );
	} );

	$( 'aisle-sync-cancel' ).addEventListener( 'click', () => {
		clearErrors();
		$( 'aisle-sync-cancel' ).disabled = true;
		wp.apiFetch( { path: ns + '/sync/cancel', method: 'POST' } )
			.then( ( s ) => {
				renderSync( s );
				notice( 'success', __( 'Sync cancelled. The previous index is still in use.', 'aisle' ) );
			} )
			.catch( ( e ) => {
				$( 'aisle-sync-cancel' ).disabled = false;
				showError( e, 'sync' );
			} );
	} );

	$( 'aisle-rotate' ).addEventListener( 'click', () => {
		clearErrors();
		wp.apiFetch( { path: ns + '/secrets/rotate', method: 'POST' } )
			.then( ( r ) => {
				const failed = Object.keys( r.failed );
				notice( failed.length ? 'warning' : 'success', failed.length
					? sprintf( __( 'Re-encrypted %1$d secrets; %2$s could not be opened and were left as they are.', 'aisle' ), r.rotated.length, failed.join( ', ' ) )
					: sprintf( __( 'Re-encrypted %1$d secrets under key "%2$s".', 'aisle' ), r.rotated.length, r.key_id ) );
			} )
			.catch( ( e ) => showError( e, 'rotate' ) );
	} );

	wp.apiFetch( { path: ns + '/settings' } ).then( ( r ) => {
		renderSecrets( r.secrets );
		$( 'aisle-key-source' ).textContent = r.key_source === 'environment'
			? __( 'Operator key (AISLE_MASTER_KEY or aisle.key_file)', 'aisle' )
			: __( 'Derived from this site\'s WordPress salts', 'aisle' );
	} ).catch( ( e ) => showError( e ) );
	wp.apiFetch( { path: ns + '/license' } ).then( renderLicense ).catch( ( e ) => showError( e, 'license' ) );
	wp.apiFetch( { path: ns + '/sync' } ).then( renderSync ).catch( ( e ) => showError( e, 'sync' ) );
}() );
