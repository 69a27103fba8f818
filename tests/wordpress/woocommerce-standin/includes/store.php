<?php
// phpcs:ignoreFile -- test stand-in.
/*
 * Shipping zones and payment gateways with the public methods and properties WooCommerce's
 * classes have (WC_Shipping_Zones::get_zones() returns arrays with zone_name,
 * formatted_zone_location, zone_locations and shipping_methods). Configured from the option
 * "standin_store" so tests can set them.
 */

class WC_Shipping_Method {
	public string $id;
	public string $enabled = 'yes';
	public string $title;
	private array $settings;

	public function __construct( array $m ) {
		$this->id       = $m['id'];
		$this->title    = $m['title'];
		$this->enabled  = $m['enabled'] ?? 'yes';
		$this->settings = $m['settings'] ?? array();
	}
	public function get_title() { return $this->title; }
	public function get_option( $key, $empty_value = null ) { return $this->settings[ $key ] ?? $empty_value; }
}

class WC_Shipping_Zone {
	public function __construct( private array $zone ) {}
	public function get_zone_name() { return $this->zone['zone_name']; }
	public function get_shipping_methods( $enabled_only = false ) {
		$methods = array_map( static fn ( $m ) => new WC_Shipping_Method( $m ), $this->zone['methods'] ?? array() );
		return $enabled_only ? array_values( array_filter( $methods, static fn ( $m ) => 'yes' === $m->enabled ) ) : $methods;
	}
}

class WC_Shipping_Zones {
	private static function config(): array {
		return (array) ( get_option( 'standin_store', array() )['zones'] ?? array() );
	}
	public static function get_zones( $context = 'admin' ) {
		$zones = array();
		foreach ( self::config() as $i => $z ) {
			$zone    = new WC_Shipping_Zone( $z );
			$zones[] = array(
				'id'                      => $i + 1,
				'zone_name'               => $z['zone_name'],
				'formatted_zone_location' => implode( ', ', array_column( $z['locations'] ?? array(), 'code' ) ),
				'zone_locations'          => array_map( static fn ( $l ) => (object) $l, $z['locations'] ?? array() ),
				'shipping_methods'        => $zone->get_shipping_methods(),
			);
		}
		return $zones;
	}
	public static function get_zone( $zone_id ) {
		$rest = get_option( 'standin_store', array() )['rest_of_world'] ?? array();
		return 0 === (int) $zone_id ? new WC_Shipping_Zone( array( 'zone_name' => 'Locations not covered by your other zones', 'methods' => $rest ) ) : false;
	}
}

class WC_Payment_Gateway {
	public string $id;
	public string $enabled;
	public string $title;
	public string $description;
	public function __construct( array $g ) {
		$this->id          = $g['id'];
		$this->enabled     = $g['enabled'] ?? 'yes';
		$this->title       = $g['title'];
		$this->description = $g['description'] ?? '';
	}
	public function get_title() { return $this->title; }
	public function get_description() { return $this->description; }
}

class WC_Payment_Gateways {
	private static ?WC_Payment_Gateways $instance = null;
	public static function instance() { return self::$instance ??= new self(); }
	public function payment_gateways() {
		$out = array();
		foreach ( (array) ( get_option( 'standin_store', array() )['gateways'] ?? array() ) as $g ) {
			$out[ $g['id'] ] = new WC_Payment_Gateway( $g );
		}
		return $out;
	}
}
