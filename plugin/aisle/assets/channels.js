/* Aisle → Channels: saves through POST /aisle/v1/settings, secrets write-only. */
( function () {
	const root = document.getElementById( 'aisle-channels' );
	if ( ! root || ! window.wp || ! wp.apiFetch ) {
		return;
	}
	const { __, sprintf } = wp.i18n;
	const ns = ( window.aisleChannels && window.aisleChannels.namespace ) || 'aisle/v1';

	function describe( s ) {
		if ( ! s || ! s.saved ) {
			return __( 'not set', 'aisle' );
		}
		if ( ! s.readable ) {
			return __( 'saved, but cannot be decrypted with the current key — enter it again', 'aisle' );
		}
		/* translators: %s: last four characters of a saved secret. */
		return s.ends_with ? sprintf( __( 'saved, ends in …%s', 'aisle' ), s.ends_with ) : __( 'saved', 'aisle' );
	}

	function render( state ) {
		Object.keys( state.channels ).forEach( ( c ) => {
			const ch = state.channels[ c ];
			Object.keys( ch.secrets ).forEach( ( f ) => {
				root.querySelectorAll( '[data-secret-state="' + f + '"]' ).forEach( ( el ) => {
					el.textContent = describe( ch.secrets[ f ] );
				} );
			} );
		} );
	}

	render( JSON.parse( document.getElementById( 'aisle-channels-state' ).textContent ) );

	document.getElementById( 'aisle-channels-save' ).addEventListener( 'click', () => {
		const data = {};
		root.querySelectorAll( '[data-setting]' ).forEach( ( el ) => {
			const key = el.getAttribute( 'data-setting' );
			data[ key ] = el.type === 'checkbox' ? el.checked : el.type === 'number' ? parseInt( el.value, 10 ) : el.value.trim();
		} );
		root.querySelectorAll( '[data-secret]' ).forEach( ( el ) => {
			if ( el.value.trim() !== '' ) {
				data[ el.getAttribute( 'data-secret' ) ] = el.value.trim();
			}
		} );
		const out = document.getElementById( 'aisle-channels-saved' );
		out.textContent = __( 'Saving…', 'aisle' );
		wp.apiFetch( { path: ns + '/settings', method: 'POST', data } )
			.then( () => wp.apiFetch( { path: ns + '/channels' } ) )
			.then( ( state ) => {
				root.querySelectorAll( '[data-secret]' ).forEach( ( el ) => ( el.value = '' ) );
				render( state );
				out.textContent = __( 'Saved.', 'aisle' );
			} )
			.catch( ( e ) => {
				const params = ( e && e.data && e.data.params ) || {};
				out.textContent = ( e && e.message ) + ' ' + Object.values( params ).join( ' ' );
			} );
	} );

	root.querySelectorAll( '.aisle-channel' ).forEach( ( card ) => {
		const channel = card.getAttribute( 'data-channel' );
		card.querySelector( '[data-action="verify-token"]' ).addEventListener( 'click', () => {
			wp.apiFetch( { path: ns + '/channels/' + channel + '/verify-token', method: 'POST' } ).then( ( r ) => {
				// Shown once: it is stored encrypted and never displayed again.
				const code = card.querySelector( '.aisle-ch-once' );
				const copy = card.querySelector( '.aisle-ch-copy-once' );
				code.textContent = r.verify_token;
				code.hidden = false;
				copy.style.display = ''; // .button overrides [hidden]
				copy.onclick = () => navigator.clipboard && navigator.clipboard.writeText( r.verify_token );
				card.querySelector( '[data-secret-state="' + channel + '_verify_token"]' ).textContent = __( 'saved (copy it now, it is shown only once)', 'aisle' );
			} );
		} );
		card.querySelector( '[data-action="test"]' ).addEventListener( 'click', () => {
			const out = card.querySelector( '[data-test-result]' );
			out.textContent = __( 'Sending…', 'aisle' );
			wp.apiFetch( { path: ns + '/channels/' + channel + '/test', method: 'POST', data: { to: card.querySelector( '[data-test-to]' ).value.trim() } } )
				.then( () => ( out.textContent = __( 'Sent.', 'aisle' ) ) )
				.catch( ( e ) => {
					out.textContent = ( e && e.message ) || __( 'Not sent.', 'aisle' );
					card.querySelector( '[data-last-error]' ).textContent = out.textContent;
				} );
		} );
	} );
}() );
