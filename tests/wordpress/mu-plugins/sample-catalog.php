<?php
/**
 * Test and demo site only (mu-plugin): a real store's content, made the way a merchant makes it.
 *
 * - aisle_test_import_sample_catalog(): WooCommerce's own sample-data/sample_products.csv through
 *   WooCommerce's own importer (WC_Product_CSV_Importer, with the column mapping its import screen
 *   proposes). The CSV's images live on the internet, which this site cannot reach: each one is
 *   drawn locally instead (GD), added to the media library, and a temporary copy of the CSV points
 *   at those files. The original CSV is never changed.
 * - aisle_test_sample_orders(): a registered customer's and a guest's orders, through WooCommerce's
 *   order CRUD, with billing phones in three formats and three statuses.
 * - aisle_test_store_pages(): refund policy, shipping and FAQ pages, shipping zones and payment
 *   gateways (mu-plugins/store-fixtures.php: aisle_test_configure_store).
 *
 * Each is idempotent: a second call returns what the first made.
 */

defined( 'ABSPATH' ) || exit;

/**
 * Imports WooCommerce's sample catalog once. Returns ['products' => [sku => id], 'variations' =>
 * int, 'images' => int, 'imported' => int, 'imported_variations' => int, 'skipped' => int]; throws
 * when WooCommerce's importer reports a failure.
 */
function aisle_test_import_sample_catalog(): array {
	$done = get_option( 'aisle_test_sample_catalog' );
	if ( is_array( $done ) ) {
		return $done;
	}
	$csv = WC_ABSPATH . 'sample-data/sample_products.csv';
	if ( ! is_readable( $csv ) ) {
		throw new RuntimeException( "WooCommerce's sample catalog is missing: $csv" );
	}

	// What the import screen loads (Tools > Import > WooCommerce products).
	require_once ABSPATH . 'wp-admin/includes/import.php';
	require_once ABSPATH . 'wp-admin/includes/class-wp-importer.php';
	require_once ABSPATH . 'wp-admin/includes/file.php';
	require_once ABSPATH . 'wp-admin/includes/image.php';
	require_once WC_ABSPATH . 'includes/import/class-wc-product-csv-importer.php';
	require_once WC_ABSPATH . 'includes/admin/importers/class-wc-product-csv-importer-controller.php';

	// Read the CSV as the importer does (RFC 4180: no escape character).
	$in   = fopen( $csv, 'rb' );
	$rows = array();
	while ( false !== ( $row = fgetcsv( $in, 0, ',', '"', '' ) ) ) {
		if ( array( null ) !== $row ) {
			$rows[] = $row;
		}
	}
	fclose( $in );
	$headers    = array_shift( $rows );
	$headers[0] = preg_replace( '/^\xEF\xBB\xBF/', '', $headers[0] );
	$col        = array_flip( $headers );
	if ( ! isset( $col['Images'], $col['Name'] ) ) {
		throw new RuntimeException( "$csv has no Images or Name column: not WooCommerce's sample catalog" );
	}

	// One local image per image URL, named after the first product that shows it.
	$images = array();
	foreach ( $rows as $i => $row ) {
		$urls = array_filter( array_map( 'trim', explode( ',', (string) ( $row[ $col['Images'] ] ?? '' ) ) ) );
		$local = array();
		foreach ( $urls as $url ) {
			if ( ! isset( $images[ $url ] ) ) {
				$images[ $url ] = aisle_test_sample_image( $url, (string) $row[ $col['Name'] ] );
			}
			$local[] = wp_get_attachment_url( $images[ $url ] );
		}
		$rows[ $i ][ $col['Images'] ] = implode( ', ', $local );
	}

	// The temporary copy the importer reads (a .csv name: the importer checks the file type).
	$copy = get_temp_dir() . 'aisle-sample-products-' . wp_generate_password( 12, false ) . '.csv';
	$out  = fopen( $copy, 'wb' );
	fputcsv( $out, $headers, ',', '"', '' );
	foreach ( $rows as $row ) {
		fputcsv( $out, $row, ',', '"', '' );
	}
	fclose( $out );

	try {
		// The mapping the import screen proposes for these headers (WooCommerce's own
		// auto-mapping, wc_importer_default_english_mappings among its filters).
		$mapping = ( new class() extends WC_Product_CSV_Importer_Controller {
			public function proposed( array $headers ): array {
				return $this->auto_map_columns( $headers, false );
			}
		} )->proposed( $headers );
		// Dimension columns are labelled in the sample's units (lbs, in); the screen proposes them
		// only when the store uses the same units, else the merchant picks "Weight" etc. by hand.
		foreach ( $mapping as $header => $field ) {
			if ( preg_match( '/^(weight|length|width|height) \(\w+\)$/', $field, $m ) ) {
				$mapping[ $header ] = $m[1];
			}
		}

		wp_set_current_user( 1 ); // The import screen needs an admin; so do the sideloaded attachments.
		$importer = WC_Product_CSV_Importer_Controller::get_importer(
			$copy,
			array(
				'mapping'          => $mapping,
				'parse'            => true,
				'update_existing'  => false,
				'prevent_timeouts' => false,
			)
		);
		$result = $importer->import();
	} finally {
		@unlink( $copy );
	}

	$failed = array();
	foreach ( $result['failed'] as $error ) {
		$failed[] = is_wp_error( $error ) ? $error->get_error_code() . ': ' . $error->get_error_message() . ' ' . wp_json_encode( $error->get_error_data() ) : wp_json_encode( $error );
	}
	if ( $failed ) {
		throw new RuntimeException( count( $failed ) . " of WooCommerce's sample products failed to import:\n" . implode( "\n", $failed ) );
	}
	foreach ( $result['skipped'] as $error ) {
		$failed[] = is_wp_error( $error ) ? $error->get_error_message() : wp_json_encode( $error );
	}
	if ( $failed ) {
		throw new RuntimeException( count( $failed ) . " of WooCommerce's sample products were skipped:\n" . implode( "\n", $failed ) );
	}

	// What the import screen does when an import completes: drop the placeholders and ID map.
	global $wpdb;
	$wpdb->delete( $wpdb->postmeta, array( 'meta_key' => '_original_id' ) ); // phpcs:ignore WordPress.DB.SlowDBQuery
	$wpdb->delete( $wpdb->posts, array( 'post_type' => 'product', 'post_status' => 'importing' ) );
	$wpdb->delete( $wpdb->posts, array( 'post_type' => 'product_variation', 'post_status' => 'importing' ) );
	wp_cache_flush();

	$products = array();
	foreach ( $result['imported'] as $id ) {
		$products[ (string) get_post_meta( $id, '_sku', true ) ?: (string) $id ] = (int) $id;
	}
	$done = array(
		'products'            => $products,
		'imported'            => count( $result['imported'] ),
		'imported_variations' => count( $result['imported_variations'] ),
		'skipped'             => count( $result['skipped'] ),
		'images'              => count( $images ),
	);
	update_option( 'aisle_test_sample_catalog', $done, false );
	return $done;
}

/**
 * A 600x600 PNG standing in for the sample image at $url, in the media library. Its colour comes
 * from a colour named in the image's file name (hoodie-blue-1.jpg) or else from the product name;
 * it shows the product's name. Reused when it is already there. Returns the attachment id.
 */
function aisle_test_sample_image( string $url, string $product_name ): int {
	$stem  = sanitize_file_name( pathinfo( (string) wp_parse_url( $url, PHP_URL_PATH ), PATHINFO_FILENAME ) );
	$found = get_posts( array( 'post_type' => 'attachment', 'post_status' => 'any', 'fields' => 'ids', 'meta_key' => '_aisle_sample_image', 'meta_value' => $stem ) ); // phpcs:ignore WordPress.DB.SlowDBQuery
	if ( $found ) {
		return (int) $found[0];
	}

	$named = array(
		'red'    => array( 200, 40, 50 ),
		'blue'   => array( 40, 90, 190 ),
		'green'  => array( 40, 140, 70 ),
		'yellow' => array( 230, 190, 40 ),
		'black'  => array( 40, 40, 40 ),
		'gray'   => array( 120, 120, 120 ),
		'grey'   => array( 120, 120, 120 ),
		'white'  => array( 225, 225, 225 ),
	);
	$rgb = null;
	foreach ( $named as $word => $c ) {
		if ( preg_match( '/(^|[-_ ])' . $word . '([-_ ]|$)/i', $stem . ' ' . $product_name ) ) {
			$rgb = $c;
			break;
		}
	}
	if ( null === $rgb ) {
		// A stable, not too light colour from the name.
		$h   = hexdec( substr( md5( $product_name ), 0, 6 ) );
		$rgb = array( 60 + ( $h >> 16 & 0xff ) % 150, 60 + ( $h >> 8 & 0xff ) % 150, 60 + ( $h & 0xff ) % 150 );
	}

	$size = 600;
	$img  = imagecreatetruecolor( $size, $size );
	imagefill( $img, 0, 0, imagecolorallocate( $img, ...$rgb ) );
	$light = ( 0.299 * $rgb[0] + 0.587 * $rgb[1] + 0.114 * $rgb[2] ) > 150;
	$ink   = $light ? imagecolorallocate( $img, 20, 20, 20 ) : imagecolorallocate( $img, 250, 250, 250 );
	imagefilledrectangle( $img, 30, 30, $size - 31, $size - 31, imagecolorallocatealpha( $img, 255, 255, 255, $light ? 90 : 110 ) );
	$lines = explode( "\n", wordwrap( $product_name, 16, "\n", true ) );
	$font  = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
	if ( function_exists( 'imagettftext' ) && is_readable( $font ) ) {
		$pt = 40;
		$y  = (int) ( $size / 2 - ( count( $lines ) - 1 ) * $pt * 0.8 );
		foreach ( $lines as $line ) {
			$box = imagettfbbox( $pt, 0, $font, $line );
			imagettftext( $img, $pt, 0, (int) ( ( $size - ( $box[2] - $box[0] ) ) / 2 ), $y + $pt / 2, $ink, $font, $line );
			$y += (int) ( $pt * 1.6 );
		}
	} else {
		// No TrueType font: GD's built-in font, drawn small and scaled up.
		$small = imagecreatetruecolor( 150, 150 );
		imagefill( $small, 0, 0, imagecolorallocatealpha( $small, 0, 0, 0, 127 ) );
		imagesavealpha( $small, true );
		$y = (int) ( 75 - count( $lines ) * 8 );
		foreach ( $lines as $line ) {
			imagestring( $small, 5, (int) ( ( 150 - 9 * strlen( $line ) ) / 2 ), $y, $line, imagecolorallocate( $small, ...( $light ? array( 20, 20, 20 ) : array( 250, 250, 250 ) ) ) );
			$y += 16;
		}
		imagecopyresampled( $img, $small, 0, 0, 0, 0, $size, $size, 150, 150 );
		imagedestroy( $small );
	}

	$uploads = wp_upload_dir();
	if ( ! empty( $uploads['error'] ) ) {
		throw new RuntimeException( 'uploads folder: ' . $uploads['error'] );
	}
	$file = $uploads['path'] . '/' . wp_unique_filename( $uploads['path'], "$stem.png" );
	if ( ! imagepng( $img, $file ) ) {
		throw new RuntimeException( "could not write $file" );
	}
	imagedestroy( $img );

	$id = wp_insert_attachment(
		array(
			'post_title'     => $product_name,
			'post_mime_type' => 'image/png',
			'post_status'    => 'inherit',
			'guid'           => $uploads['url'] . '/' . basename( $file ),
		),
		$file,
		0,
		true
	);
	if ( is_wp_error( $id ) ) {
		throw new RuntimeException( "attachment for $file: " . $id->get_error_message() );
	}
	wp_update_attachment_metadata( $id, wp_generate_attachment_metadata( $id, $file ) );
	update_post_meta( $id, '_wp_attachment_image_alt', $product_name );
	update_post_meta( $id, '_aisle_sample_image', $stem );
	return (int) $id;
}

/**
 * A few orders of the sample catalog's products (imported first if needed), through WooCommerce's
 * order CRUD: a registered customer's (processing, then completed) and a guest's (on hold).
 * Returns ['customer_id' => int, 'orders' => [['id', 'number', 'status', 'phone', 'email',
 * 'customer_id', 'items' => [names]], …]].
 */
function aisle_test_sample_orders(): array {
	$done = get_option( 'aisle_test_sample_orders' );
	if ( is_array( $done ) ) {
		return $done;
	}
	// WooCommerce emails the new customer and each new order. A site with neither a mail catcher
	// (mu-plugins/mail-catcher.php) nor a mail server drops them rather than run a missing sendmail.
	add_filter( 'pre_wp_mail', static fn ( $sent ) => $sent ?? true, 1000 );
	$catalog = aisle_test_import_sample_catalog();
	$sku     = static function ( string $sku ) use ( $catalog ): int {
		$id = $catalog['products'][ $sku ] ?? wc_get_product_id_by_sku( $sku );
		if ( ! $id ) {
			throw new RuntimeException( "sample product $sku is not in the catalog" );
		}
		return (int) $id;
	};

	// A registered customer, created through WooCommerce's customer CRUD (role customer).
	$customer_id = (int) ( get_user_by( 'login', 'jane.doe' )->ID ?? 0 );
	if ( ! $customer_id ) {
		$customer = new WC_Customer();
		$customer->set_username( 'jane.doe' );
		$customer->set_email( 'jane.doe@example.com' );
		$customer->set_password( wp_generate_password( 24 ) );
		$customer->set_first_name( 'Jane' );
		$customer->set_last_name( 'Doe' );
		$customer->set_display_name( 'Jane Doe' );
		$customer->set_billing_first_name( 'Jane' );
		$customer->set_billing_last_name( 'Doe' );
		$customer->set_billing_email( 'jane.doe@example.com' );
		$customer->set_billing_phone( '(212) 555-0199' );
		$customer->set_billing_address_1( '350 Fifth Avenue' );
		$customer->set_billing_city( 'New York' );
		$customer->set_billing_state( 'NY' );
		$customer->set_billing_postcode( '10118' );
		$customer->set_billing_country( 'US' );
		$customer_id = (int) $customer->save();
		if ( ! $customer_id || ! in_array( 'customer', (array) get_userdata( $customer_id )->roles, true ) ) {
			throw new RuntimeException( 'the sample customer was not created with the customer role' );
		}
	}

	$hoodie_blue = (int) ( wc_get_product_id_by_sku( 'woo-hoodie-blue-logo' ) ?: wc_get_product_id_by_sku( 'woo-hoodie-blue' ) );
	$specs       = array(
		array(
			'status'      => 'processing',
			'customer_id' => $customer_id,
			'first'       => 'Jane',
			'last'        => 'Doe',
			'phone'       => '(212) 555-0199',
			'email'       => 'jane.doe@example.com',
			'address'     => array( '350 Fifth Avenue', 'New York', 'NY', '10118', 'US' ),
			'shipping'    => 'Flat rate',
			'items'       => array( array( 'product_id' => $sku( 'woo-hoodie-with-logo' ), 'qty' => 1 ), array( 'product_id' => $sku( 'woo-beanie' ), 'qty' => 2 ) ),
		),
		array(
			'status'      => 'completed',
			'customer_id' => $customer_id,
			'first'       => 'Jane',
			'last'        => 'Doe',
			'phone'       => '(212) 555-0199',
			'email'       => 'jane.doe@example.com',
			'address'     => array( '350 Fifth Avenue', 'New York', 'NY', '10118', 'US' ),
			'shipping'    => 'Flat rate',
			'items'       => array( array( 'product_id' => $sku( 'woo-sunglasses' ), 'qty' => 1 ) ),
		),
		array(
			'status'      => 'on-hold',
			'customer_id' => 0,
			'first'       => 'Oliver',
			'last'        => 'Smith',
			'phone'       => '+44 7700 900123',
			'email'       => 'oliver.smith@example.co.uk',
			'address'     => array( '221B Baker Street', 'London', '', 'NW1 6XE', 'GB' ),
			'shipping'    => '',
			'items'       => array( array( 'product_id' => $sku( 'woo-cap' ), 'qty' => 1 ), array( 'product_id' => $sku( 'woo-polo' ), 'qty' => 1 ) ),
		),
		array(
			'status'      => 'processing',
			'customer_id' => 0,
			'first'       => 'Lena',
			'last'        => 'Schmidt',
			'phone'       => '+49 30 1234567',
			'email'       => 'lena.schmidt@example.de',
			'address'     => array( 'Unter den Linden 1', 'Berlin', '', '10117', 'DE' ),
			'shipping'    => 'DHL Paket',
			'items'       => array_values( array_filter( array( $hoodie_blue ? array( 'product_id' => $hoodie_blue, 'qty' => 1 ) : null, array( 'product_id' => $sku( 'woo-belt' ), 'qty' => 1 ) ) ) ),
		),
	);

	$orders = array();
	foreach ( $specs as $s ) {
		$id    = aisle_test_create_order(
			array(
				'status'             => 'pending', // Addresses first, then the status change (and its hooks).
				'customer_id'        => $s['customer_id'],
				'billing_first_name' => $s['first'],
				'billing_phone'      => $s['phone'],
				'billing_email'      => $s['email'],
				'shipping_method'    => $s['shipping'],
				'items'              => $s['items'],
			)
		);
		$order = wc_get_order( $id );
		list( $street, $city, $state, $postcode, $country ) = $s['address'];
		foreach ( array( 'billing', 'shipping' ) as $type ) {
			$order->{"set_{$type}_first_name"}( $s['first'] );
			$order->{"set_{$type}_last_name"}( $s['last'] );
			$order->{"set_{$type}_address_1"}( $street );
			$order->{"set_{$type}_city"}( $city );
			$order->{"set_{$type}_state"}( $state );
			$order->{"set_{$type}_postcode"}( $postcode );
			$order->{"set_{$type}_country"}( $country );
		}
		$order->set_payment_method_title( 'Cash on delivery' );
		$order->set_created_via( 'checkout' );
		$order->calculate_totals( false );
		$order->save();
		$order->update_status( $s['status'], 'Sample order.' );
		$orders[] = array(
			'id'          => (int) $id,
			'number'      => (string) $order->get_order_number(),
			'status'      => $order->get_status(),
			'phone'       => $s['phone'],
			'email'       => $s['email'],
			'customer_id' => (int) $s['customer_id'],
			'items'       => array_values( array_map( static fn ( $item ) => $item->get_name(), $order->get_items() ) ),
		);
	}
	$done = array( 'customer_id' => $customer_id, 'orders' => $orders );
	update_option( 'aisle_test_sample_orders', $done, false );
	return $done;
}

/** Questions and answers of the sample store's FAQ page (the demo puts them in Aisle's FAQ too). */
function aisle_test_sample_faq(): array {
	return array(
		array( 'question' => 'How long does delivery take?', 'answer' => 'Orders leave our warehouse within 1 business day. Delivery takes 3-5 business days in the United States and 2-4 business days to Germany.' ),
		array( 'question' => 'Do you offer gift wrapping?', 'answer' => 'Yes. Choose gift wrapping at checkout; it is free on every order.' ),
		array( 'question' => 'How do I find my size?', 'answer' => 'Our T-shirts and hoodies run true to size. If you are between two sizes, take the larger one.' ),
		array( 'question' => 'Can I change or cancel my order?', 'answer' => 'Yes, until it ships. Write to us with your order number and we will change or cancel it.' ),
	);
}

/**
 * The pages and settings a store publishes beside its catalog: a refund policy (WooCommerce's
 * refund and returns page, published), a shipping page, an FAQ page, shipping zones (United States
 * flat rate with free shipping over $50, Germany, no shipping elsewhere) and payment gateways
 * (Cash on delivery, Direct bank transfer). Returns ['refund' => id, 'shipping' => id, 'faq' => id,
 * 'zones' => [name => id]].
 */
function aisle_test_store_pages(): array {
	$done = get_option( 'aisle_test_store_pages' );
	if ( is_array( $done ) ) {
		return $done;
	}
	$page = static function ( string $slug, string $title, string $content, int $id = 0 ): int {
		$post = array( 'post_type' => 'page', 'post_status' => 'publish', 'post_name' => $slug, 'post_title' => $title, 'post_content' => $content, 'post_author' => 1 );
		if ( $id > 0 && get_post( $id ) ) {
			$post['ID'] = $id;
		}
		$r = $id > 0 && get_post( $id ) ? wp_update_post( $post, true ) : wp_insert_post( $post, true );
		if ( is_wp_error( $r ) ) {
			throw new RuntimeException( "page $slug: " . $r->get_error_message() );
		}
		return (int) $r;
	};
	$p = static fn ( string ...$paragraphs ): string => implode( "\n\n", array_map( static fn ( $t ) => "<!-- wp:paragraph -->\n<p>$t</p>\n<!-- /wp:paragraph -->", $paragraphs ) );

	// WooCommerce's installer leaves a draft "Refund and Returns Policy" page: the merchant writes it and publishes it.
	$refund = $page(
		'refund_returns',
		'Refund and Returns Policy',
		$p(
			'You can return any unworn item within 30 days of delivery for a full refund.',
			'To start a return, write to us with your order number. We email you a prepaid return label for orders in the United States; from other countries, return shipping is at your cost.',
			'Refunds go back to the original payment method within 5 business days of the item reaching us. Sale items can be exchanged but not refunded.'
		),
		(int) get_option( 'woocommerce_refund_returns_page_id' )
	);
	update_option( 'woocommerce_refund_returns_page_id', $refund );

	$shipping = $page(
		'shipping-policy',
		'Shipping',
		$p(
			'United States: flat rate $5.00, free on orders over $50. Orders leave within 1 business day and arrive in 3-5 business days.',
			'Germany: DHL Paket, $9.90, 2-4 business days.',
			'We do not ship to other countries yet.'
		)
	);

	$faq = '';
	foreach ( aisle_test_sample_faq() as $e ) {
		$faq .= "<!-- wp:heading {\"level\":3} -->\n<h3 class=\"wp-block-heading\">" . esc_html( $e['question'] ) . "</h3>\n<!-- /wp:heading -->\n\n" . $p( esc_html( $e['answer'] ) ) . "\n\n";
	}
	$faq_id = $page( 'faq', 'FAQ', trim( $faq ) );

	aisle_test_configure_store(
		array(
			'zones'         => array(
				array(
					'zone_name' => 'United States',
					'locations' => array( array( 'type' => 'country', 'code' => 'US' ) ),
					'methods'   => array(
						array( 'id' => 'flat_rate', 'title' => 'Flat rate', 'settings' => array( 'cost' => '5.00', 'tax_status' => 'taxable' ) ),
						array( 'id' => 'free_shipping', 'title' => 'Free shipping', 'settings' => array( 'requires' => 'min_amount', 'min_amount' => '50.00' ) ),
					),
				),
				array(
					'zone_name' => 'Germany',
					'locations' => array( array( 'type' => 'country', 'code' => 'DE' ) ),
					'methods'   => array( array( 'id' => 'flat_rate', 'title' => 'DHL Paket', 'settings' => array( 'cost' => '9.90', 'tax_status' => 'taxable' ) ) ),
				),
			),
			'rest_of_world' => array(),
			'gateways'      => array(
				array( 'id' => 'cod', 'title' => 'Cash on delivery', 'description' => 'Pay with cash upon delivery.' ),
				array( 'id' => 'bacs', 'title' => 'Direct bank transfer', 'description' => 'Make your payment directly into our bank account. Please use your order number as the payment reference.' ),
			),
		)
	);
	$zones = array();
	foreach ( WC_Shipping_Zones::get_zones() as $z ) {
		$zones[ $z['zone_name'] ] = (int) $z['id'];
	}

	$done = array( 'refund' => $refund, 'shipping' => $shipping, 'faq' => $faq_id, 'zones' => $zones );
	update_option( 'aisle_test_store_pages', $done, false );
	return $done;
}
