import java.util.List;

public class SmokeHello {
    // tag::hello[]
    public static void main(String[] args) {
        System.out.println("hello " + List.of(1, 2, 3));
    }
    // end::hello[]
}
