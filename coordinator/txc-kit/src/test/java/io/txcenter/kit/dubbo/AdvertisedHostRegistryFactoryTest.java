package io.txcenter.kit.dubbo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.registry.NotifyListener;
import org.apache.dubbo.registry.Registry;
import org.apache.dubbo.registry.RegistryFactory;
import org.junit.jupiter.api.Test;

class AdvertisedHostRegistryFactoryTest {

  private final List<String> calls = new ArrayList<>();
  private final Registry recording =
      new Registry() {
        @Override
        public URL getUrl() {
          return URL.valueOf("zookeeper://127.0.0.1:2181");
        }

        @Override
        public boolean isAvailable() {
          return true;
        }

        @Override
        public void destroy() {}

        @Override
        public void register(URL url) {
          calls.add("register " + url.getAddress() + url.getParameter("ipv6", ""));
        }

        @Override
        public void unregister(URL url) {
          calls.add("unregister " + url.getAddress());
        }

        @Override
        public void subscribe(URL url, NotifyListener listener) {
          calls.add("subscribe " + url.getAddress());
        }

        @Override
        public void unsubscribe(URL url, NotifyListener listener) {
          calls.add("unsubscribe " + url.getAddress());
        }

        @Override
        public List<URL> lookup(URL url) {
          return List.of();
        }
      };

  @Test
  void registeredUrlsCarryTheAdvertisedHost_subscriptionsAreUntouched() {
    RegistryFactory factory = new AdvertisedHostRegistryFactory(url -> recording);
    Registry registry = factory.getRegistry(URL.valueOf("zookeeper://127.0.0.1:2181"));
    URL provider = URL.valueOf("dubbo://192.0.2.2:20881/io.txcenter.X?anyhost=true&ipv6=fd00::2");
    URL consumer = URL.valueOf("consumer://192.0.2.2/io.txcenter.X?category=consumers");

    registry.register(provider);
    registry.reExportRegister(provider);
    registry.register(consumer);
    registry.subscribe(consumer, urls -> {});
    registry.unregister(provider);

    assertThat(calls)
        .containsExactly(
            "register 127.0.0.1:20881",
            "register 127.0.0.1:20881",
            "register 127.0.0.1",
            "subscribe 192.0.2.2",
            "unregister 127.0.0.1:20881");
  }
}
